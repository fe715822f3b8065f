import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** One line of a {@link TimeChart}. */
export interface ChartSeries {
  label: string;
  color: string;
  dash?: number[];
  fill?: string;
  /** Draw as bars (a bucketed series). */
  bars?: boolean;
}

/** Props of {@link TimeChart}: `x` in epoch seconds, one `y` array per series (null = no point). */
export interface TimeChartProps {
  x: number[];
  ys: (number | null)[][];
  series: ChartSeries[];
  height?: number;
  /** Formats y-axis ticks and legend values. */
  format: (v: number) => string;
  /** Fixed x range, e.g. the whole window, so the forecast reaches its end. */
  xRange?: [number, number];
  yMin?: number;
  /** What the chart shows, for assistive technology (the canvas itself says nothing). */
  label?: string;
}

/** A small uPlot time-series chart that follows its container's width. */
export function TimeChart(props: TimeChartProps) {
  const host = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const bars = uPlot.paths.bars;
    const fmt = (_u: uPlot, v: number | null) => (v === null ? "–" : props.format(v));
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 160,
      cursor: { points: { size: 6 } },
      legend: { show: true, live: false },
      scales: {
        x: { time: true, ...(props.xRange ? { range: props.xRange } : {}) },
        y: { range: (_u, _min, max) => [props.yMin ?? 0, max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        {
          stroke: "#6b7280",
          grid: { stroke: "#eef0f2" },
          ticks: { stroke: "#e5e7eb" },
          font: "11px system-ui",
        },
        {
          stroke: "#6b7280",
          grid: { stroke: "#eef0f2" },
          ticks: { show: false },
          size: 64,
          font: "11px system-ui",
          values: (_u, ticks) => ticks.map((t) => props.format(t)),
        },
      ],
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.75,
          spanGaps: true,
          value: fmt,
          points: { show: false },
          ...(s.dash ? { dash: s.dash } : {}),
          ...(s.fill ? { fill: s.fill } : {}),
          ...(s.bars && bars ? { paths: bars({ size: [0.6, 48] }), fill: s.color } : {}),
        })),
      ],
    };
    const chart = new uPlot(opts, [props.x, ...props.ys] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, el.clientWidth), height: opts.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [props.x, props.ys, props.series, props.height, props.format, props.xRange, props.yMin]);
  return <figure class="chart" ref={host} aria-label={props.label} />;
}

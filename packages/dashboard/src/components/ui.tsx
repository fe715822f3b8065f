import type { ComponentChildren } from "preact";
import { formatPercent, utilizationLevel } from "../lib/format.js";
import { linkHandler } from "../lib/router.js";

/** A titled panel. */
export function Panel(props: {
  title?: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <section class={`panel ${props.class ?? ""}`}>
      {(props.title || props.actions) && (
        <header class="panel-head">
          {props.title && <h2>{props.title}</h2>}
          {props.actions && <div class="panel-actions">{props.actions}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

/** A used/limit bar: green below 80%, amber below 100%, red from 100%. */
export function UtilizationBar(props: { ratio: number; label?: string }) {
  const level = utilizationLevel(props.ratio);
  const width = Math.min(100, Math.max(0, props.ratio * 100));
  return (
    <div class={`bar bar-${level}`} title={props.label ?? formatPercent(props.ratio)}>
      <div class="bar-fill" style={{ width: `${width}%` }} />
    </div>
  );
}

/** A small colored label. */
export function Badge(props: {
  tone?: "ok" | "warn" | "over" | "info" | "muted";
  children: ComponentChildren;
}) {
  return <span class={`badge badge-${props.tone ?? "muted"}`}>{props.children}</span>;
}

/** An in-app link. */
export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a href={props.href} class={props.class} onClick={linkHandler(props.href)}>
      {props.children}
    </a>
  );
}

/** Loading, error and empty states in one place. */
export function Status(props: {
  error?: Error | undefined;
  loading?: boolean | undefined;
  empty?: boolean | undefined;
  children?: ComponentChildren;
}) {
  if (props.error) return <p class="state state-error">{props.error.message}</p>;
  if (props.loading) return <p class="state">Loading…</p>;
  if (props.empty) return <p class="state">{props.children ?? "Nothing here yet."}</p>;
  return null;
}

/** A key figure. */
export function Kpi(props: { label: string; value: string; hint?: string; tone?: "ok" | "warn" | "over" }) {
  return (
    <div class={`kpi ${props.tone ? `kpi-${props.tone}` : ""}`}>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-value num">{props.value}</div>
      {props.hint && <div class="kpi-hint">{props.hint}</div>}
    </div>
  );
}

/** A neutral bar for a share of a total. */
export function ShareBar(props: { ratio: number }) {
  return (
    <div class="bar bar-share" title={formatPercent(props.ratio)}>
      <div class="bar-fill" style={{ width: `${Math.min(100, props.ratio * 100)}%` }} />
    </div>
  );
}

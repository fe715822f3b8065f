import type { BuildOptions } from "esbuild";

/** Where the bundle lands: `packages/cli/dist/bundle/`, with `budget.cjs` as its entry. */
export const CLI_BUNDLE_DIR: string;
export const CLI_BUNDLE_ENTRY: string;
/** Packages the bundle leaves to Node. */
export const CLI_BUNDLE_EXTERNAL: readonly string[];

/** esbuild's options for the bundle of `entry` (see scripts/cli-bundle.mjs). */
export function cliBundleOptions(options: {
  entry: string;
  outdir: string;
  conditions?: string[];
  write?: boolean;
}): BuildOptions & { metafile: true };

/** Builds the bundle from `packages/cli/dist/main.js`, unless it is up to date. */
export function bundleCli(): Promise<void>;

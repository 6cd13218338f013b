"use client";

// The recharts chart. Heavy (~100 KB gzipped), so pages load this module with `next/dynamic`
// and it never counts in the first-load budget. Each chart has its data as a table next to
// it (see ChartData), which is what screen readers read: the drawing is aria-hidden.
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SeriesPoint } from "./api";
import { formatCount } from "./format";

// The theme's tokens as plain colours (SVG attributes): each is AA (≥ 4.5:1) on white.
export const COLOURS = {
  primary: "#1e3a8a",
  secondary: "#2563eb",
  success: "#166534",
  warning: "#92400e",
  destructive: "#b91c1c",
} as const;

export type NumericKey = Exclude<keyof SeriesPoint, "start">;
export type ChartRow = SeriesPoint & { label: string };
export type Plot = { key: NumericKey; name: string; colour: keyof typeof COLOURS; stack?: string };

const axis = { fontSize: 12, stroke: "#475569" };
// Axis ticks stay short whatever the volume: "1.5K", "2.4M".
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

function draw(kind: "area" | "bar" | "line", plot: Plot) {
  const colour = COLOURS[plot.colour];
  // React wants `key` written out, not spread in with the other props.
  const common = { dataKey: plot.key, name: plot.name, isAnimationActive: false };
  if (kind === "bar") return <Bar key={plot.key} {...common} fill={colour} stackId={plot.stack} />;
  if (kind === "line") return <Line key={plot.key} {...common} type="monotone" stroke={colour} strokeWidth={2} dot={false} connectNulls={false} />;
  return <Area key={plot.key} {...common} type="monotone" stroke={colour} fill={colour} fillOpacity={0.12} stackId={plot.stack} />;
}

/** One chart of the series: areas, bars (stacked when plots share `stack`) or lines. */
export function SeriesChart({ rows, kind, plots, unit }: { rows: ChartRow[]; kind: "area" | "bar" | "line"; plots: Plot[]; unit?: string }) {
  const withUnit = (value: unknown) => {
    const text = typeof value === "number" ? formatCount(value) : value === null || value === undefined ? "—" : String(value);
    return unit && text !== "—" ? `${text} ${unit}` : text;
  };
  const tick = (value: number) => (unit ? `${compact.format(value)} ${unit}` : compact.format(value));
  // Legend and tooltip in the order the plots are listed (recharts sorts by name otherwise).
  const rank = (item: { dataKey?: unknown }) => plots.findIndex((plot) => plot.key === item.dataKey);
  return (
    <div className="h-64 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: unit ? 0 : -16 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
          <XAxis dataKey="label" tick={axis} minTickGap={24} />
          <YAxis allowDecimals={false} tick={axis} tickFormatter={tick} />
          <Tooltip formatter={withUnit} itemSorter={rank} />
          <Legend itemSorter={rank} />
          {plots.map((plot) => draw(kind, plot))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

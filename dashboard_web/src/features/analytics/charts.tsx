"use client";

// The recharts charts. Heavy (~100 KB gzipped), so pages load this module with
// `next/dynamic` and it never counts in the first-load budget. Each chart has its data as
// a table next to it (see DataTable), which is what screen readers read.
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DailyPoint } from "./types";
import { shortDay } from "./format";

// The theme's tokens as plain colours (SVG attributes): each is AA (≥ 4.5:1) on white.
const COLOURS = {
  primary: "#1e3a8a",
  secondary: "#2563eb",
  success: "#166534",
  warning: "#92400e",
  destructive: "#b91c1c",
};

const axis = { fontSize: 12, stroke: "#475569" };

function Frame({ children }: { children: React.ReactElement }) {
  return (
    <div className="h-64 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

export function ActivityChart({ days }: { days: DailyPoint[] }) {
  return (
    <Frame>
      <AreaChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        <XAxis dataKey="date" tickFormatter={shortDay} tick={axis} minTickGap={16} />
        <YAxis allowDecimals={false} tick={axis} />
        <Tooltip labelFormatter={(label) => shortDay(String(label))} />
        <Legend />
        <Area type="monotone" dataKey="conversations" name="Conversations" stroke={COLOURS.primary} fill={COLOURS.primary} fillOpacity={0.15} />
        <Area type="monotone" dataKey="messages" name="Shopper messages" stroke={COLOURS.secondary} fill={COLOURS.secondary} fillOpacity={0.1} />
      </AreaChart>
    </Frame>
  );
}

export function AnswersChart({ days }: { days: DailyPoint[] }) {
  return (
    <Frame>
      <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        <XAxis dataKey="date" tickFormatter={shortDay} tick={axis} minTickGap={16} />
        <YAxis allowDecimals={false} tick={axis} />
        <Tooltip labelFormatter={(label) => shortDay(String(label))} />
        <Legend />
        <Bar dataKey="answered" name="Answered" stackId="answers" fill={COLOURS.success} />
        <Bar dataKey="no_answer" name="Unanswered" stackId="answers" fill={COLOURS.warning} />
      </BarChart>
    </Frame>
  );
}

export function FeedbackChart({ days }: { days: DailyPoint[] }) {
  return (
    <Frame>
      <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        <XAxis dataKey="date" tickFormatter={shortDay} tick={axis} minTickGap={16} />
        <YAxis allowDecimals={false} tick={axis} />
        <Tooltip labelFormatter={(label) => shortDay(String(label))} />
        <Legend />
        <Bar dataKey="thumbs_up" name="Thumbs up" fill={COLOURS.success} />
        <Bar dataKey="thumbs_down" name="Thumbs down" fill={COLOURS.destructive} />
      </BarChart>
    </Frame>
  );
}

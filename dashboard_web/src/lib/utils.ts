import { clsx, type ClassValue } from "clsx";
import { createTailwindMerge, validators } from "tailwind-merge";

const any = validators.isAny;
const sides = (prefix: string) =>
  Object.fromEntries(["", "x", "y", "t", "r", "b", "l"].map((side) => [`${prefix}${side}`, [{ [`${prefix}${side}`]: [any] }]]));

// tailwind-merge's engine with only the class groups this app's components let callers
// override: its default config (every Tailwind utility) costs ~8 KB gzipped in every page's
// first load. A group missing here only means both classes stay (CSS order decides).
const mergeClasses = createTailwindMerge(() => ({
  cacheSize: 300,
  theme: {},
  classGroups: {
    display: ["block", "inline-block", "inline", "flex", "inline-flex", "grid", "inline-grid", "hidden", "contents"],
    position: ["static", "fixed", "absolute", "relative", "sticky"],
    "flex-direction": [{ flex: ["row", "row-reverse", "col", "col-reverse"] }],
    "flex-wrap": [{ flex: ["wrap", "wrap-reverse", "nowrap"] }],
    "justify-content": [{ justify: ["start", "end", "center", "between", "around", "evenly", "stretch", "normal"] }],
    "align-items": [{ items: ["start", "end", "center", "baseline", "stretch"] }],
    ...sides("p"),
    ...sides("m"),
    gap: [{ gap: [any] }],
    "gap-x": [{ "gap-x": [any] }],
    "gap-y": [{ "gap-y": [any] }],
    size: [{ size: [any] }],
    w: [{ w: [any] }],
    h: [{ h: [any] }],
    "min-w": [{ "min-w": [any] }],
    "max-w": [{ "max-w": [any] }],
    "min-h": [{ "min-h": [any] }],
    "max-h": [{ "max-h": [any] }],
    "grid-cols": [{ "grid-cols": [any] }],
    "font-size": [{ text: ["xs", "sm", "base", "lg", "xl", "2xl", "3xl", "4xl"] }],
    "text-align": [{ text: ["left", "center", "right", "justify", "start", "end"] }],
    "text-color": [{ text: [any] }],
    "font-weight": [{ font: ["normal", "medium", "semibold", "bold"] }],
    leading: [{ leading: [any] }],
    "bg-color": [{ bg: [any] }],
    rounded: [{ rounded: ["", any] }],
    shadow: [{ shadow: ["", any] }],
    "border-w": ["border", { border: ["0", "2", "4"] }],
    "border-color": [{ border: [any] }],
    overflow: [{ overflow: [any] }],
    whitespace: [{ whitespace: [any] }],
  },
  conflictingClassGroups: {
    p: ["px", "py", "pt", "pr", "pb", "pl"],
    px: ["pr", "pl"],
    py: ["pt", "pb"],
    m: ["mx", "my", "mt", "mr", "mb", "ml"],
    mx: ["mr", "ml"],
    my: ["mt", "mb"],
    gap: ["gap-x", "gap-y"],
    size: ["w", "h"],
  },
  conflictingClassGroupModifiers: {},
  orderSensitiveModifiers: [],
}));

/** Joins class names; a later class overrides an earlier one of the same group. */
export function cn(...inputs: ClassValue[]): string {
  return mergeClasses(clsx(inputs));
}

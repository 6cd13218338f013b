// The live preview: the configure page puts the CURRENT (unsaved) form values into the query
// string of /app/widget-preview/, which loads the real widget.js with them as data-* overrides
// (widget/src/index.js reads color, position, title, greeting and open). What the widget reads
// from the server instead (the consent bar) shows once saved: `saved` changes with every save,
// which reloads the frame.
import type { BotFormValues } from "@/lib/schemas/bots";

// A raw <iframe src> is not rewritten by Next, so it carries next.config.ts's basePath itself.
export const BASE_PATH = "/app";
const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export type PreviewSettings = { widgetKey: string; color?: string; position?: string; title?: string; greeting?: string; saved?: string };

/** What the preview shows from the form: only values the widget would accept. */
export function previewSettings(values: Pick<BotFormValues, "name" | "greeting" | "theme">, widgetKey: string, saved?: string): PreviewSettings {
  return {
    widgetKey,
    saved,
    color: HEX_COLOUR.test(values.theme.primary_color) ? values.theme.primary_color : undefined,
    position: values.theme.position,
    title: values.theme.title.trim() || values.name.trim() || undefined,
    greeting: values.greeting.trim() || undefined,
  };
}

export function previewUrl(settings: PreviewSettings): string {
  const query = new URLSearchParams({ key: settings.widgetKey });
  if (settings.color) query.set("color", settings.color);
  if (settings.position) query.set("position", settings.position);
  if (settings.title) query.set("title", settings.title);
  if (settings.greeting) query.set("greeting", settings.greeting);
  if (settings.saved) query.set("saved", settings.saved);
  return `${BASE_PATH}/widget-preview/?${query.toString()}`;
}

/** The preview page's query string → the <script> tag's attributes (checked again: the
 * page can be opened with any query). Null without a widget key. */
export function scriptAttributes(search: string): Record<string, string> | null {
  const query = new URLSearchParams(search);
  const key = query.get("key")?.trim();
  if (!key || !/^[A-Za-z0-9_-]{1,200}$/.test(key)) return null;
  const attributes: Record<string, string> = { src: "/widget.js", "data-widget-key": key, "data-open": "true" };
  const color = query.get("color");
  if (color && HEX_COLOUR.test(color)) attributes["data-color"] = color;
  const position = query.get("position");
  if (position === "left" || position === "right") attributes["data-position"] = position;
  const title = query.get("title")?.trim();
  if (title) attributes["data-title"] = title.slice(0, 60);
  const greeting = query.get("greeting")?.trim();
  if (greeting) attributes["data-greeting"] = greeting.slice(0, 1000);
  return attributes;
}

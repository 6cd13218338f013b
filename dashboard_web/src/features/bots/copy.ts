// Copying the snippet: the Clipboard API where the browser allows it (a secure context and
// permission), else the text is selected so the merchant can press Ctrl+C / ⌘C.

export type CopyOutcome = "copied" | "selected";

export function selectContents(element: Element): void {
  const selection = element.ownerDocument.defaultView?.getSelection();
  if (!selection) return;
  const range = element.ownerDocument.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}

export async function copyText(text: string, fallbackElement: Element | null, clipboard: Pick<Clipboard, "writeText"> | undefined = globalThis.navigator?.clipboard): Promise<CopyOutcome> {
  try {
    if (!clipboard) throw new Error("no clipboard");
    await clipboard.writeText(text);
    return "copied";
  } catch {
    if (fallbackElement) selectContents(fallbackElement);
    return "selected";
  }
}

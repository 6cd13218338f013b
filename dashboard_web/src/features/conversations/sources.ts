// A stored answer's sources are the engine's cards (web/source_cards.py): a product card
// has a product_id, a knowledge card a document_id.
import type { components } from "@/api/schema";

export type ProductSource = components["schemas"]["ProductSource"];
export type DocumentSource = components["schemas"]["DocumentSource"];

export function splitSources(sources: Record<string, unknown>[]): { products: ProductSource[]; documents: DocumentSource[] } {
  const products: ProductSource[] = [];
  const documents: DocumentSource[] = [];
  for (const source of sources) {
    if (typeof source.product_id === "string") products.push(source as unknown as ProductSource);
    else if (typeof source.document_id === "string") documents.push(source as unknown as DocumentSource);
  }
  return { products, documents };
}

export function formatPrice(price: string | null, currency: string): string {
  if (price === null) return "Price on request";
  const amount = Number(price);
  if (!Number.isFinite(amount)) return `${price} ${currency}`;
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    return `${price} ${currency}`;
  }
}

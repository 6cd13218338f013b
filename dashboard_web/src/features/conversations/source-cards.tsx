import { ExternalLink, FileText } from "lucide-react";
import { formatPrice, splitSources } from "./sources";

/** The product cards and knowledge excerpts an answer showed the shopper. */
export function SourceCards({ sources }: { sources: Record<string, unknown>[] }) {
  const { products, documents } = splitSources(sources);
  if (products.length === 0 && documents.length === 0) return null;
  return (
    <div className="mt-2 grid gap-2">
      <p className="text-xs font-semibold text-muted-foreground">Sources shown</p>
      {products.length ? (
        <ul className="grid gap-2 sm:grid-cols-2">
          {products.map((product) => (
            <li key={product.product_id} className="flex gap-3 rounded-md border bg-background p-2 text-sm">
              {product.image_url ? (
                // eslint-disable-next-line @next/next/no-img-element -- a store's remote image in a static export
                <img src={product.image_url} alt="" className="size-12 shrink-0 rounded object-cover" loading="lazy" />
              ) : null}
              <div className="min-w-0">
                <p className="font-medium">{product.title}</p>
                <p>
                  {formatPrice(product.price, product.currency)}
                  {product.in_stock ? "" : " · Out of stock"}
                </p>
                {product.url ? (
                  <a href={product.url} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 text-primary underline">
                    View product
                    <ExternalLink className="size-3" aria-hidden="true" />
                    <span className="sr-only">(opens in a new tab)</span>
                  </a>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {documents.length ? (
        <ul className="grid gap-2">
          {documents.map((doc) => (
            <li key={doc.document_id} className="rounded-md border bg-background p-2 text-sm">
              <p className="flex items-center gap-1 font-medium">
                <FileText className="size-3" aria-hidden="true" />
                {doc.title}
              </p>
              {doc.snippet ? <p className="text-muted-foreground">{doc.snippet}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

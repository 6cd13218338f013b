"use client";

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { loadTopProducts, type Filters, type TopProduct } from "@/features/analytics/api";
import { formatCount } from "@/features/analytics/format";
import { useQuery } from "@/lib/use-query";
import { ListCard } from "./list-card";

const COUNTS: [header: string, pick: (product: TopProduct) => number][] = [
  ["Shown", (product) => product.shown],
  ["Clicked", (product) => product.clicks],
  ["Added to cart", (product) => product.added_to_cart],
];

function ProductName({ product }: { product: TopProduct }) {
  const name = product.name ?? "Unnamed product";
  if (!product.permalink) return <>{name}</>;
  return (
    <a href={product.permalink} target="_blank" rel="noopener noreferrer" className="text-primary underline underline-offset-4">
      {name}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}

/** The products answers showed most, with clicks and add-to-cart from their cards. */
export function TopProducts({ filters }: { filters: Filters }) {
  const products = useQuery(["analytics-top-products", filters], () => loadTopProducts(filters));
  return (
    <ListCard title="Top products" description="Product cards in answers, and what shoppers did with them." query={products}>
      {(rows) => (
        <Table className="relative">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Product</TableHead>
              {COUNTS.map(([header]) => (
                <TableHead key={header} scope="col" className="text-right">
                  {header}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((product) => (
              <TableRow key={product.product_id}>
                <TableCell className="whitespace-normal">
                  <ProductName product={product} />
                </TableCell>
                {COUNTS.map(([header, pick]) => (
                  <TableCell key={header} className="text-right tabular-nums">
                    {formatCount(pick(product))}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ListCard>
  );
}

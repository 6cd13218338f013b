"use client";

import type { Filters } from "@/features/analytics/api";
import { ContentGaps } from "./content-gaps";
import { TopProducts } from "./top-products";
import { TopQuestions } from "./top-questions";

/** What shoppers ask, what went unanswered, and which products answers showed. */
export function TopTables({ filters }: { filters: Filters }) {
  return (
    <div className="grid items-start gap-4 xl:grid-cols-2 [&>*]:min-w-0">
      <TopQuestions filters={filters} />
      <ContentGaps filters={filters} />
      <div className="xl:col-span-2">
        <TopProducts filters={filters} />
      </div>
    </div>
  );
}

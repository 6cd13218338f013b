"use client";

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { loadTopQuestions, type Filters } from "@/features/analytics/api";
import { formatCount, formatShare, questionText } from "@/features/analytics/format";
import { useQuery } from "@/lib/use-query";
import { Examples, ListCard } from "./list-card";

/** The questions asked most, grouped by meaning: the representative wording, how often, how
 * much of it was answered, and the wordings shoppers used. */
export function TopQuestions({ filters }: { filters: Filters }) {
  const questions = useQuery(["analytics-top-questions", filters], () => loadTopQuestions(filters));
  return (
    <ListCard title="Top questions" description="Questions that mean the same are counted together." query={questions}>
      {(rows) => (
        <Table className="relative">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Question</TableHead>
              <TableHead scope="col" className="text-right">
                Asked
              </TableHead>
              <TableHead scope="col" className="text-right">
                Answered
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((question) => (
              <TableRow key={question.cluster_id}>
                <TableCell className="max-w-md align-top break-words whitespace-normal">
                  {questionText(question)}
                  <Examples examples={question.examples} />
                </TableCell>
                <TableCell className="text-right align-top tabular-nums">{formatCount(question.asked)}</TableCell>
                <TableCell className="text-right align-top tabular-nums">{formatShare(question.answered_share)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ListCard>
  );
}

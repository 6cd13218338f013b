import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/states";
import { BotEditorLoader } from "./bot-editor-loader";

export const metadata: Metadata = { title: "Configure bot" };

export default function EditBotPage() {
  return (
    <Suspense fallback={<LoadingState />}>
      <BotEditorLoader />
    </Suspense>
  );
}

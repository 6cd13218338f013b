"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { api, unwrap } from "@/api/client";
import { PageHeader } from "@/components/page-header";
import { LoadingState, QueryView } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { atLeast } from "@/features/account/roles";
import { useQuery } from "@/lib/use-query";
import { useAuth } from "@/stores/auth";
import { YourData } from "./your-data";

// The form (React Hook Form + zod/mini) loads beside the data, not before the page shows.
const ProfileForm = dynamic(() => import("./profile-form").then((module) => module.ProfileForm), {
  ssr: false,
  loading: () => <LoadingState rows={4} />,
});
const PrivacyForm = dynamic(() => import("./privacy-form").then((module) => module.PrivacyForm), {
  ssr: false,
  loading: () => <LoadingState rows={2} />,
});

export function BusinessProfile() {
  const role = useAuth((state) => state.me?.role);
  const query = useQuery(["business"], () => unwrap(api.GET("/v1/business")));
  const canEdit = atLeast(role, "editor");
  const canSetRetention = atLeast(role, "admin");
  // The name as last saved here, so deleting right after a rename asks for the new one.
  const [savedName, setSavedName] = useState<string | null>(null);
  return (
    <div className="max-w-3xl">
      <PageHeader title="Business profile" description="The bot uses these facts when shoppers ask about your shop." />
      {!canEdit ? (
        <Alert variant="info" className="mb-4">
          You have the viewer role, so this profile is read-only. An owner, admin or editor can change it.
        </Alert>
      ) : null}
      <QueryView query={query}>
        {(business) => (
          <>
            <ProfileForm business={business} readOnly={!canEdit} onSaved={(saved) => setSavedName(saved.name)} />
            <PrivacyForm business={business} readOnly={!canSetRetention} />
            <YourData businessName={savedName ?? business.name} />
          </>
        )}
      </QueryView>
    </div>
  );
}

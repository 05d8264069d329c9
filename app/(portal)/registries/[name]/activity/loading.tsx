import { ActivitySkeleton } from "@/components/activity/activity-view";

export default function RegistryActivityLoading() {
  return <ActivitySkeleton />;
}

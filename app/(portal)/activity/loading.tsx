import { ActivitySkeleton } from "@/components/activity/activity-view";

export default function ActivityLoading() {
  return <ActivitySkeleton />;
}

import { Alert } from "@/components/ui/alert";
import { AdminUserCard } from "./admin-user-card";
import { AnonymousPullCard } from "./anonymous-pull-card";
import { DeleteRegistryCard } from "./delete-registry-card";
import { NetworkingCard } from "./networking-card";
import { RetentionCard } from "./retention-card";
import type { SettingsProps } from "./settings-props";
import { SkuCard } from "./sku-card";
import { SoftDeleteCard } from "./soft-delete-card";
import { TagsCard } from "./tags-card";
import { WriteOnceCard } from "./write-once-card";

export type { SettingsProps };

/** A registry's settings, one card per concern; each card saves on its own. */
export function RegistrySettings(props: SettingsProps) {
  return (
    <div className="space-y-6">
      {props.cannotChange ? <Alert title="You can view these settings but not change them">{props.cannotChange}</Alert> : null}
      <AnonymousPullCard {...props} />
      <AdminUserCard {...props} />
      <SkuCard {...props} />
      <NetworkingCard {...props} />
      <TagsCard {...props} />
      <RetentionCard {...props} />
      <WriteOnceCard {...props} />
      <SoftDeleteCard name={props.name} cannotChange={props.cannotChange} />
      <DeleteRegistryCard {...props} />
    </div>
  );
}

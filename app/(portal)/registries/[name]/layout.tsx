import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RegistryTabs } from "@/components/registry-tabs";
import { ArrowLeftIcon, RegistryIcon } from "@/components/ui/icons";
import { SkuBadge } from "@/components/sku-badge";
import { getRegistry } from "@/lib/registries";

export default async function RegistryLayout({ children, params }: { children: ReactNode; params: Promise<{ name: string }> }) {
  const { name } = await params;
  const reg = await getRegistry(decodeURIComponent(name));
  if (!reg) notFound();
  return (
    <>
      <div className="mb-4">
        <Link href="/registries" className="inline-flex items-center gap-1 rounded text-[13px] text-muted hover:text-fg">
          <ArrowLeftIcon className="size-3.5" />
          Registries
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <span className="flex size-9 items-center justify-center rounded-lg bg-accent-soft text-accent-soft-fg">
            <RegistryIcon className="size-5" />
          </span>
          <h1 className="text-2xl font-semibold tracking-tight text-fg">{reg.name}</h1>
          <SkuBadge sku={reg.sku} />
        </div>
      </div>
      <RegistryTabs registry={reg.name} />
      {children}
    </>
  );
}

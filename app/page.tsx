import { redirect } from "next/navigation";
import { HOME_PATH } from "@/portal/callback-url";
import { currentUser } from "@/portal/session";

export default async function Home() {
  redirect((await currentUser()) ? HOME_PATH : "/login");
}

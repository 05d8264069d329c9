import { redirect } from "next/navigation";
import { HOME_PATH } from "./_lib/callback-url";
import { currentUser } from "./_lib/session";

export default async function Home() {
  redirect((await currentUser()) ? HOME_PATH : "/login");
}

import { PageLoading } from "@/components/page-loading";

// Each section has its own loading boundary rather than one around the whole portal, so that a registry page's
// layout (which answers 404 for a registry the user cannot read) runs before anything is streamed.
export default PageLoading;

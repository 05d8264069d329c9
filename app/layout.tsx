import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Wharf", template: "%s · Wharf" },
  description: "Self-hosted container registries",
  icons: { icon: { url: "/logo.svg", type: "image/svg+xml" } },
  // Absolute URLs for og:image come from metadataBase; WHARF_PUBLIC_URL is where the portal is reached.
  ...(process.env.WHARF_PUBLIC_URL ? { metadataBase: new URL(process.env.WHARF_PUBLIC_URL) } : {}),
  openGraph: {
    title: "Wharf",
    description: "Self-hosted container registries",
    siteName: "Wharf",
    type: "website",
    images: [{ url: "/og.png", width: 1200, height: 630, alt: "Wharf, self-hosted container registries" }],
  },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#0f1b2d" },
    { media: "(prefers-color-scheme: dark)", color: "#0d1420" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = { title: "Wharf", description: "Self-hosted container registries" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

// A Next.js App Router app with no next.config: what a new user writes.
export const metadata = { title: "lago-wasm in Next.js", icons: { icon: "data:," } };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

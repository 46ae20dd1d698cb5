// A server component that renders the client component below (Next renders that one on the
// server in Node first, then runs it in the browser).
import Customers from "./customers.js";

export default function Page() {
  return <Customers />;
}

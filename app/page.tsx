import { redirect } from "next/navigation";

// The overview comes with the full dashboard; until then the deposit list is the home page.
export default function Home() {
  redirect("/deposits");
}

// A Result URL that always fails: where the sandbox sends notifications that must land in callback_error_list.
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  await request.arrayBuffer();
  return new Response("Internal Server Error (sandbox failing Result URL)", { status: 500 });
}

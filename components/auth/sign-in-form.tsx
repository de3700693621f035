import { Button } from "@/components/ui/button";

/**
 * The sign-in form: a plain form posted natively to /api/auth/sign-in/form, which answers with a redirect. It
 * needs no JavaScript, so a sign-in typed the moment the page shows is sent on the first Enter, and a second
 * press simply replaces the first request (the browser navigates once, to the last answer).
 */
export function SignInForm({ next, problem }: { next: string; problem: string | null }) {
  return (
    <form method="post" action="/api/auth/sign-in/form" className="space-y-4">
      <input type="hidden" name="next" value={next} />
      <label className="block text-sm">
        <span className="font-medium">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
        />
      </label>
      <label className="block text-sm">
        <span className="font-medium">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
        />
      </label>
      {problem && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {problem}
        </p>
      )}
      <Button type="submit" variant="primary" size="md" className="w-full">
        Sign in
      </Button>
    </form>
  );
}

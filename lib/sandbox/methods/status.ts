import type { Handler } from "../method-helpers";

/** SkinsBack's `status`, as the sandbox answers it. */
export const handleStatus: Handler = async () => {
  return { available: true };
};

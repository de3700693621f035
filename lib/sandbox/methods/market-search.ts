import { gameOf, type Handler, SandboxMethodError, str, strings } from "../method-helpers";
import { CATALOGUE } from "../world";

/** SkinsBack's `market_search`, as the sandbox answers it. */
export const handleMarketSearch: Handler = async (_ctx, p) => {
  const game = gameOf(str(p, "game"));
  const name = str(p, "name");
  const names = strings(p, "names");
  if (!name && !names) throw new SandboxMethodError(1, "name_or_names_required");
  if (name && name.length < 3) throw new SandboxMethodError(2, "name_min_length_3");
  const needles = (names ?? [name as string]).map((n) => n.toLowerCase());
  const items = CATALOGUE.filter(
    (i) => (!game || i.game === game) && needles.some((n) => i.name.toLowerCase().includes(n)),
  );
  return { items: items.map((i) => ({ id: i.id, name: i.name, price: i.price, classid: i.classid })) };
};

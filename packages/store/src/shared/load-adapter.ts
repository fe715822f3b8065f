import { BudgetError } from "@budget/core";

/**
 * Imports an adapter module whose database driver is an optional peer dependency; a driver that
 * is not installed becomes `store_unavailable` saying which package to add.
 */
export async function loadAdapter<M>(load: () => Promise<M>, driver: string): Promise<M> {
  try {
    return await load();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_MODULE_NOT_FOUND" && e.message.includes(`'${driver}'`))
      throw new BudgetError("store_unavailable", `${driver} is not installed: npm install ${driver}`, {
        driver,
      });
    throw err;
  }
}

import { Link, Panel } from "../../components/ui.js";

/** An unknown path: says so, instead of silently showing another page. */
export function NotFound(props: { path: string }) {
  return (
    <div class="view" data-testid="not-found">
      <Panel title="Page not found">
        <p class="state">
          There is no page at <code>{props.path}</code>. <Link href="/">Go to the budgets</Link>.
        </p>
      </Panel>
    </div>
  );
}

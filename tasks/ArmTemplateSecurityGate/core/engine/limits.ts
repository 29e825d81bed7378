/**
 * What the engine accepts, and the work it may spend on one template.
 *
 * A gate runs on pull requests, so a template is written by whoever opens one: it must not be able
 * to stall or exhaust the agent. Two kinds of bounds:
 *
 * ARM's documented template limits (learn.microsoft.com/azure/azure-resource-manager/templates/
 * best-practices#template-limits and …/templates/error-job-size-exceeded, read 2025):
 *   the template 4 MB and the parameter file 4 MB; 256 parameters; 512 variables (the job-size page
 *   says 256: the larger is used, so no template ARM deploys is refused); 800 resources per
 *   template, copy count included; 64 outputs; 24,576 characters per expression; a copy count
 *   from 0 to 800 (…/templates/copy-resources). A template beyond one of these is refused by ARM,
 *   so the gate reports it as an error rather than scanning what cannot be deployed.
 *
 * The gate's own budget. ARM also limits the expanded template (4 MB compressed, 1 MB per
 * resource), which a scan cannot measure without expanding it — and expansion is where the
 * work goes: 800 nested deployments of 800 resources, a property copy of 800×800×800, a lambda
 * mapping ranges of 10,000 over ranges of 10,000 each stay within the limits above. So every
 * evaluation step, every value produced and every character produced is counted per template
 * (nested and linked templates included), and the template is refused once a count passes its
 * budget. The budgets are far above what real templates use (the largest quickstart sample,
 * oms-cloudfoundry-solution with 363 resources, spends under 1% of each: 28,737 steps, 6,764
 * values, 93,874 characters) and low enough that the worst template ends within about a second
 * and a hundred megabytes.
 */
import type { SourceLocation } from '../model';

export const LIMITS = {
  templateBytes: 4 * 1024 * 1024,
  parameterFileBytes: 4 * 1024 * 1024,
  parameters: 256,
  variables: 512,
  resources: 800,
  outputs: 64,
  copyCount: 800,
  expressionLength: 24576,
  /** JSON nesting of a document or of a value built by json(); deeper would only serve to exhaust the stack. */
  jsonDepth: 256,
  /** Nesting of values built by functions (createArray(createArray(...)), reductions). */
  valueDepth: 256,
  /** Nesting of calls, property and index accesses inside one expression. */
  expressionDepth: 256,
  /** Expression evaluations in progress at once: nested calls through variables, parameters and lambdas. */
  evaluationDepth: 1000,
  /** Evaluation steps per template (expression nodes, JSON members, elements walked). */
  steps: 5_000_000,
  /** Array elements and object members produced per template. */
  cells: 1_000_000,
  /** Characters of strings produced per template. */
  chars: 16 * 1024 * 1024,
  /** Resource instances per template, those of its nested and linked deployments included. */
  scanResources: 50_000,
};

/**
 * Thrown when a limit or the budget is passed. Not a TemplateError: an error at one expression
 * leaves the rest of a template to evaluate, a passed limit stops the template. The engine turns
 * it into a TemplateError naming the limit and where evaluation stood.
 */
export class LimitError extends Error {
  constructor(message: string, public location?: SourceLocation) {
    super(message);
    this.name = 'LimitError';
  }
}

export class Budget {
  steps = 0;
  cells = 0;
  chars = 0;
  depth = 0;
  /** The expression site evaluated last, to say where evaluation stood when a limit was passed. */
  site: unknown;

  resources = 0;

  /**
   * Containers an expression returned that are already known to nest within LIMITS.valueDepth: a
   * memo of this scan (a strong Set dropped with it; a WeakSet's entries cost every collection).
   */
  readonly shallow = new Set<object>();

  constructor(private readonly limits: Pick<typeof LIMITS, 'steps' | 'cells' | 'chars' | 'evaluationDepth' | 'scanResources'> = LIMITS) {}

  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.steps) throw new LimitError(`the template needs more than ${this.limits.steps} evaluation steps, the gate's budget per template`);
  }

  produce(cells: number): void {
    this.cells += cells;
    if (this.cells > this.limits.cells) throw new LimitError(`the template builds more than ${this.limits.cells} array elements and object members, the gate's budget per template`);
  }

  text(chars: number): void {
    this.chars += chars;
    if (this.chars > this.limits.chars) throw new LimitError(`the template builds more than ${this.limits.chars} characters of text, the gate's budget per template`);
  }

  /** How many more characters may be produced (for functions that must check before building). */
  charsLeft(): number {
    return this.limits.chars - this.chars;
  }

  enter(): void {
    if (++this.depth > this.limits.evaluationDepth) {
      throw new LimitError(`expressions nest more than ${this.limits.evaluationDepth} levels deep (through variables, parameters, lambdas and nested objects)`);
    }
  }
}

const UNBOUNDED = new Budget({ steps: Infinity, cells: Infinity, chars: Infinity, evaluationDepth: Infinity, scanResources: Infinity });
let active: Budget = UNBOUNDED;

/**
 * The budget of the template being evaluated. Evaluation is synchronous, so the one in effect is
 * the innermost withBudget(); outside any, nothing is counted.
 */
export function budget(): Budget {
  return active;
}

export function withBudget<T>(b: Budget, f: () => T): T {
  const previous = active;
  active = b;
  try {
    return f();
  } finally {
    active = previous;
  }
}

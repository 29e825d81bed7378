/**
 * Shared vocabulary of the gate: what the template engine produces, what a control
 * sees and returns, and what reporters consume. Engine, controls and reporters are
 * written against this file only.
 */
import type { Severity } from '../../common/report/model';

export type { Outcome, Severity } from '../../common/report/model';

export interface SourceLocation {
  /** Path as given to the scan (relative to the scan root when one is known). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/**
 * A value that cannot be known before deployment (a parameter with no value, reference(),
 * list*(), a GEN-* placeholder, a Key Vault reference...). It appears as a leaf wherever an
 * evaluated value would be, so "unknown" can never silently turn into "pass".
 */
export class UnknownValue {
  constructor(
    /** Why, in words a user can act on: "depends on parameter 'x' with no value". */
    readonly reason: string,
    /** Where the expression that could not be resolved is written. */
    readonly location?: SourceLocation,
    /** The expression text, when there is one. */
    readonly expression?: string,
  ) {}
}

export type EvaluatedValue =
  | null
  | boolean
  | number
  | string
  | UnknownValue
  | EvaluatedValue[]
  | { [key: string]: EvaluatedValue };

export interface EvaluatedResource {
  /** Fully qualified type, child types joined to the parent's: "Microsoft.Web/sites/config". */
  type: string;
  /**
   * Fully qualified name as deployed ("site/web"). Parts known only at deployment read as their
   * expression text in brackets: "[parameters('siteName')]/web"; a name with no known part reads as
   * the template's name expression itself ("[parameters('clusterName')]"). Attestation name globs
   * match this text.
   */
  name: string;
  apiVersion?: string;
  /** The resource object after evaluation (properties, sku, kind, identity, tags...). */
  body: { [key: string]: EvaluatedValue };
  /** Where the resource object is declared (for copies: the declaration of the copied resource). */
  location: SourceLocation;
  /**
   * Location of the deepest source node along a path into `body` (["properties","siteConfig","minTlsVersion"]).
   * Falls back to the resource location.
   */
  locate(path: ReadonlyArray<string | number>): SourceLocation;
  /** Set when the resource's `condition` could not be decided; the resource is still checked. */
  conditionUnknown?: UnknownValue;
  /** languageVersion 2.0 symbolic name. */
  symbolicName?: string;
  /** `existing: true` resources are references, not deployments; controls skip them. */
  existing?: boolean;
  /** Names of the nested deployments that contain this resource, outermost first. */
  deploymentPath: string[];
  /**
   * The copy loops this instance comes from, outermost first, those of the deployments around it
   * included (index null when the count is known only at deployment); absent outside any copy.
   * Tells apart copies whose names are known only at deployment ("[parameters('vm')]_nic" × 4).
   */
  copyPath?: ReadonlyArray<{ loop: string; index: number | null }>;
}

export interface TemplateParameterInfo {
  name: string;
  type: string;
  /** True when the template gives a defaultValue that is a literal (no expression). */
  hasLiteralDefault: boolean;
  /** That literal defaultValue, when there is one. */
  literalDefault?: EvaluatedValue;
  location: SourceLocation;
}

export interface TemplateOutputInfo {
  name: string;
  type: string;
  /** The output's value after evaluation. */
  value: EvaluatedValue;
  /** True when the output value references a secure parameter, listKeys/listSecrets/list*, or a secret-like property. */
  exposesSecret: boolean;
  secretReason?: string;
  location: SourceLocation;
}

/** Everything the engine learned about one template file (and its nested / linked templates). */
export interface EvaluatedTemplate {
  file: string;
  parametersFile?: string;
  resources: EvaluatedResource[];
  parameters: TemplateParameterInfo[];
  outputs: TemplateOutputInfo[];
  /**
   * Problems that did not stop the evaluation: a linked template that cannot be found, an unsupported
   * feature (warning, info) — or an expression that cannot be evaluated (error: the value there is an
   * UnknownValue saying why, the rest of the template is evaluated, and the gate fails).
   */
  diagnostics: Diagnostic[];
}

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  location: SourceLocation;
}

/** Thrown by the engine for a file it cannot evaluate at all (invalid JSON, unknown function...). */
export class TemplateError extends Error {
  constructor(message: string, readonly location: SourceLocation) {
    super(message);
    this.name = 'TemplateError';
  }
}


export interface ControlReferences {
  azsk?: string[];
  checkov?: string[];
  psrule?: string[];
  mcsb?: string[];
}

/**
 * A threshold a control declares (meta.parameters): its type, default and a sentence of doc. The
 * control reads it only through the values its rule factory receives, so a settings file
 * (armgate.yaml) can change it; texts of the meta name it as {name} and read the value in force.
 */
export type ControlParameter =
  | { type: 'version'; default: string; doc: string }
  | { type: 'integer'; default: number; doc: string; min?: number; max?: number }
  | { type: 'string'; default: string; doc: string; allowed?: readonly string[] }
  | { type: 'string[]'; default: readonly string[]; doc: string; allowed?: readonly string[] }
  | { type: 'boolean'; default: boolean; doc: string }
  /** Any JSON value (objects of Azure Policy parameters); `allowed` lists the values it may take. */
  | { type: 'json'; default: ParameterValue; doc: string; allowed?: readonly ParameterValue[]; shape?: 'string' | 'array' | 'object' | 'boolean' | 'integer' | 'number' };

export type ControlParameters = Readonly<Record<string, ControlParameter>>;

export type ParameterValue = string | number | boolean | null | readonly ParameterValue[] | { readonly [key: string]: ParameterValue };

type ValueOf<S extends ControlParameter> = S extends { type: 'integer' }
  ? number
  : S extends { type: 'string[]' }
    ? readonly string[]
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { type: 'json' }
        ? ParameterValue
        : string;

/** The values a control's rule factory receives, typed from its declarations. */
export type ParameterValues<P extends ControlParameters> = { readonly [K in keyof P]: ValueOf<P[K]> };

export interface ControlMeta {
  /** Stable id, equal to the control's file name; never renamed or reused. */
  id: string;
  title: string;
  severity: Severity;
  /** AzSK feature set name, e.g. "AppService"; "Template" for template-wide controls. */
  featureSet: string;
  /** Fully qualified resource types this control applies to (case-insensitive match); '*' for every type. */
  resourceTypes: string[];
  /**
   * Types in resourceTypes added after the control shipped, with the date each was added: a
   * baseline dated before that date does not apply the control to that type, so pinned pipelines
   * keep their verdicts when a control's coverage grows.
   */
  typesSince?: Record<string, string>;
  rationale: string;
  remediation: {
    text: string;
    /** A fixed ARM snippet (JSON text) showing the compliant setting. */
    snippet: string;
  };
  references: ControlReferences;
  /** ISO date the control shipped; baselines pin controls by it. '' (custom and policy controls without one): every baseline. */
  since: string;
  /** The thresholds the control reads (see ControlParameter); absent when it has none. */
  parameters?: ControlParameters;
  /**
   * Azure Policy effect of a control made from a policy definition (lower case): 'audit' makes its
   * failures warnings, 'disabled' leaves it out, effects that act after deployment
   * (deployIfNotExists, modify…) are not evaluated. Absent: a failure fails (as 'deny').
   */
  effect?: string;
  /** Why the control is listed but not run (a policy effect or mode that acts after deployment). */
  notEvaluated?: string;
}

/** What every control carries besides its check: the parameter values in force, and how to change them. */
interface Configurable<C> {
  /** The values in force, for controls that declare parameters (defaults unless settings changed them). */
  parameterValues?: Readonly<Record<string, ParameterValue>>;
  /** The same control with some parameter values changed (values already validated against meta.parameters). */
  configure?(values: Readonly<Record<string, ParameterValue>>): C;
}

export interface CheckResult {
  outcome: 'pass' | 'fail' | 'unknown';
  message: string;
  /** Where the deciding value (or the resource) is written. */
  location: SourceLocation;
}

/** What a resource control may ask beyond the resource itself. */
export interface CheckContext {
  template: EvaluatedTemplate;
  /**
   * Resources of the given fully qualified type that belong to `resource`: its children
   * (name prefixed by the resource's name) or resources linked through dependsOn/parent.
   */
  related(resource: EvaluatedResource, type: string): EvaluatedResource[];
}

export interface ResourceControl extends Configurable<ResourceControl> {
  kind: 'resource';
  meta: ControlMeta;
  /** One result per resource (occasionally more, e.g. one per firewall rule). */
  check(resource: EvaluatedResource, ctx: CheckContext): CheckResult[];
  /**
   * check() for a resource the caller has already matched: deployed (not `existing`) and of one of
   * meta.resourceTypes. The scan hands each control only such resources (it dispatches by type), and
   * asking both again of every resource for every control showed in profiles.
   */
  checkMatched?(resource: EvaluatedResource, ctx: CheckContext): CheckResult[];
}

export interface TemplateCheckResult extends CheckResult {
  /** What the finding is about; for parameters: { type: "parameter", name }. */
  resource: { type: string; name: string };
}

/** Controls over the template as a whole (secure parameters, outputs). */
export interface TemplateControl extends Configurable<TemplateControl> {
  kind: 'template';
  meta: ControlMeta;
  check(template: EvaluatedTemplate): TemplateCheckResult[];
}

export type Control = ResourceControl | TemplateControl;

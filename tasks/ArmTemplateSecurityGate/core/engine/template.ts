/**
 * Template evaluation: parameters, variables, user functions, resources (copy, condition,
 * child resources, nested and linked deployments, languageVersion 2.0) and outputs.
 */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  Diagnostic, EvaluatedResource, EvaluatedValue, SourceLocation, TemplateError, TemplateOutputInfo,
  TemplateParameterInfo, UnknownValue,
} from '../model';
import { copyCount, evalJson } from './evaluator';
import { Ast, ExpressionSyntaxError, classifyString, parseExpression } from './expression';
import { DocumentCache } from './document-cache';
import { displayName } from './display-name';
import { JsonValue, SourceDoc, parseJsonDocument } from './json-source';
import { Budget, LIMITS, LimitError, withBudget } from './limits';
import { CopyBinding, DeploymentContext, Env, EvalHost, Origin, Site, UserFunction, makeEnv, siteError, siteOffset, withCopy } from './runtime';
import { SecretTracker } from './secrets';
import { Taint } from './taint';
import { Obj, fromPlain, getProp, isObj, newObj, ownEntry, setProp, textOf } from './values';

export interface EngineFs {
  readFile(p: string): string;
  exists(p: string): boolean;
  /** The path with symbolic links resolved (the path itself when it cannot be resolved). */
  realPath?(p: string): string;
  /** isInsideFolder(this, root, p), remembered by a file system that stays the same for a scan. */
  isInside?(root: string, p: string): boolean;
}

/** Whether `file` lies inside folder `root` once symbolic links are resolved (when `fs` can resolve them). */
export function isInsideFolder(fs: Pick<EngineFs, 'realPath'>, root: string, file: string): boolean {
  const real = (p: string) => (fs.realPath ? fs.realPath(p) : p);
  const r = real(root);
  const f = real(file);
  // The usual answer without path.relative (called for every file walked and every link
  // candidate): a normalised absolute path that extends the root by a separator lies inside it,
  // unless a '..' segment could lead back out. Anything else takes the general rule below.
  const sep = path.sep;
  if (
    f.length > r.length + 1 && f.charCodeAt(r.length) === sep.charCodeAt(0) && f.startsWith(r) && path.isAbsolute(r) &&
    !r.endsWith(sep) && !f.startsWith('..', r.length + 1) && !f.includes(`${sep}..`) && !r.includes(`${sep}..`) && !f.includes(`${sep}.${sep}`) &&
    (sep === '/' || !f.includes('/'))
  ) {
    return true;
  }
  const rel = path.relative(r, f);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface LoadOptions {
  fs: EngineFs;
  /** Explicit parameter file; otherwise found by naming convention. */
  parametersFile?: string;
  /** templateLink.uri → local path, for linked templates published elsewhere. */
  linkedTemplateMap?: Record<string, string>;
  /** How paths appear in locations and messages (e.g. relative to the scan root). */
  displayPath?: (absPath: string) => string;
  /** Stand-ins for deployment-time scope values; see DEFAULT_CONTEXT. */
  deploymentContext?: Partial<DeploymentContext>;
  /** Parsed documents shared with other templates of the same scan (same fs, same displayPath). */
  documents?: DocumentCache;
  /** Collects secure parameter values (and strings derived from them) for redaction; per template when absent. */
  secrets?: SecretTracker;
  /**
   * Folders (absolute) that linked templates and parameter links may be read from, symbolic links
   * resolved: a template under review must not make the gate read other files of the agent
   * (`relativePath: "../../../home/agent/.ssh/…"`, `file:///etc/…`, a symlink out of the
   * repository). Anything when absent.
   */
  allowedRoots?: readonly string[];
  /**
   * false: the caller reads no resource (e.g. a linked template scanned on its own, whose resources
   * are checked where its parent deploys them): parameters and outputs are evaluated, resources only
   * when a secure parameter has a default (see evaluateTemplate). Default true.
   */
  resources?: boolean;
}

/**
 * Subscription, tenant and resource group are not known before deployment. Names built from
 * them (uniqueString(resourceGroup().id), resourceId(...)) are still needed to relate
 * resources, so they use fixed, recognisable stand-ins; location stays unknown.
 */
export const DEFAULT_CONTEXT: DeploymentContext = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  tenantId: '00000000-0000-0000-0000-000000000000',
  resourceGroupName: 'resource-group',
  deploymentName: 'deployment',
};

const MAX_LINK_DEPTH = 10;
const UNKNOWN_NAME = '<unknown>';

type CopyStep = { loop: string; index: number | null };

/** State shared by everything evaluated for one top-level template. */
class Scan {
  readonly resources: EvaluatedResource[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly origins = new Map<object, Origin>();
  readonly docs = new Map<string, { doc: SourceDoc; value: JsonValue }>();
  readonly linkStack: string[] = [];
  readonly context: DeploymentContext;
  readonly secrets: SecretTracker;
  readonly taint: Taint;
  readonly budget = new Budget();
  private readonly errorSites = new Set<string>();
  private readonly localFiles = new Map<string, boolean>();

  constructor(readonly options: LoadOptions) {
    this.context = { ...DEFAULT_CONTEXT, ...options.deploymentContext };
    this.secrets = options.secrets ?? new SecretTracker();
    this.taint = new Taint(this.secrets);
  }

  /** One error per place: a failing expression in a resource copied 800 times is one problem. */
  evaluationError(error: TemplateError): void {
    const l = error.location;
    const key = `${l.file}\n${l.line}\n${l.column}`;
    if (this.errorSites.has(key)) return;
    this.errorSites.add(key);
    this.diagnostics.push({ severity: 'error', message: error.message, location: l });
  }

  /** Where evaluation stood: the expression evaluated last. */
  where(fallback: SourceLocation): SourceLocation {
    const site = this.budget.site as Site | undefined;
    return site ? site.doc.location(siteOffset(site)) : fallback;
  }

  display(p: string): string {
    return this.options.displayPath ? this.options.displayPath(p) : p;
  }

  /**
   * Whether a candidate local copy of a linked template is a file inside the allowed roots (outside
   * them, e.g. a URI with an encoded '..' or '/', it is never a local copy and is not looked for).
   * Remembered: the same links recur for every copy and nested deployment, each with many candidates.
   */
  localFile(candidate: string): boolean {
    let hit = this.localFiles.get(candidate);
    if (hit === undefined) {
      hit = this.allowed(candidate) && this.options.fs.exists(candidate);
      this.localFiles.set(candidate, hit);
    }
    return hit;
  }

  /** Whether `p` (symbolic links resolved) lies inside one of the allowed roots. */
  allowed(p: string): boolean {
    const roots = this.options.allowedRoots;
    const fs = this.options.fs;
    return !roots || roots.some((r) => (fs.isInside ? fs.isInside(r, p) : isInsideFolder(fs, r, p)));
  }

  load(absPath: string, kind: 'template' | 'parameter file'): { doc: SourceDoc; value: JsonValue } {
    let hit = this.docs.get(absPath);
    if (!hit) {
      const text = this.options.fs.readFile(absPath);
      const display = this.display(absPath);
      const max = kind === 'template' ? LIMITS.templateBytes : LIMITS.parameterFileBytes;
      if (text.length > max / 3 && Buffer.byteLength(text, 'utf8') > max) {
        throw new TemplateError(`the ${kind} is ${Buffer.byteLength(text, 'utf8')} bytes; ARM accepts at most ${max} (4 MB)`, { file: display, line: 1, column: 1 });
      }
      const shared = this.options.documents;
      hit = shared?.get(absPath, display, text);
      if (!hit) {
        hit = parseJsonDocument(display, absPath, text);
        shared?.set(absPath, hit);
      }
      this.docs.set(absPath, hit);
    }
    return hit;
  }
}

/** `section`: the template's `parameters` object, where the declaration's offset is found when a message needs it. */
interface ParamDecl { name: string; decl: Obj; section: Obj }
type VarDecl = { name: string; kind: 'plain'; src: JsonValue; container: object } | { name: string; kind: 'copy'; loop: Obj; container: object };

/** Parameter values supplied to a template (lower-cased names), and which of them are secure. */
export class ParamValues extends Map<string, EvaluatedValue> {
  readonly secure = new Set<string>();
}

const IN_PROGRESS = Symbol('in-progress');

/** One template's scope: what parameters(), variables() and user functions resolve against. */
export class TemplateScope implements EvalHost {
  readonly origins: Map<object, Origin>;
  readonly context: DeploymentContext;
  readonly secrets: SecretTracker;
  readonly taint: Taint;
  private readonly params = new Map<string, ParamDecl>();
  private readonly vars = new Map<string, VarDecl>();
  private readonly fns = new Map<string, UserFunction>();
  private readonly paramCache = new Map<string, EvaluatedValue | typeof IN_PROGRESS>();
  private readonly varCache = new Map<string, EvaluatedValue | typeof IN_PROGRESS>();
  /**
   * Finished values by the name exactly as an expression wrote it: that string is a constant of a
   * cached AST and keeps its hash, whereas lower-casing it made a new string to hash on every call.
   */
  private readonly paramByName = new Map<string, EvaluatedValue>();
  private readonly varByName = new Map<string, EvaluatedValue>();
  /** Parameters and variables whose values are secure (lower-cased names, and names as written). */
  private readonly secureParams = new Set<string>();
  private readonly secureVars = new Set<string>();
  private readonly baseEnv: Env;
  /** Resource instances declared in this template (copies included), against ARM's limit. */
  private resourceCount = 0;
  /** The template's file as a URI, for deployment(); made on first use (once, not per call). */
  private fileUri?: string;

  constructor(
    private readonly scan: Scan,
    readonly doc: SourceDoc,
    readonly template: Obj,
    private readonly supplied: ParamValues | undefined,
    private readonly deploymentName: string,
  ) {
    this.origins = scan.origins;
    this.context = scan.context;
    this.secrets = scan.secrets;
    this.taint = scan.taint;
    this.baseEnv = makeEnv(this, doc, { doc, offset: doc.offsetOf(template) ?? 0, text: '' });
    const params = getProp(template, 'parameters');
    if (isObj(params)) {
      this.checkCount(params, 'parameters', LIMITS.parameters);
      for (const name of Object.keys(params)) {
        const decl = params[name];
        if (isObj(decl)) this.params.set(name.toLowerCase(), { name, decl, section: params });
      }
    }
    const vars = getProp(template, 'variables');
    if (isObj(vars)) {
      let count = 0;
      for (const name of Object.keys(vars)) {
        const v = vars[name];
        count += name.toLowerCase() === 'copy' && Array.isArray(v) ? v.length : 1;
      }
      if (count > LIMITS.variables) this.limit(`the template declares ${count} variables; ARM allows at most ${LIMITS.variables}`, vars);
      for (const name of Object.keys(vars)) {
        const src = vars[name] as JsonValue;
        if (name.toLowerCase() === 'copy' && Array.isArray(src)) {
          for (const loop of src) {
            if (isObj(loop) && typeof getProp(loop, 'name') === 'string') {
              const vname = getProp(loop, 'name') as string;
              this.vars.set(vname.toLowerCase(), { name: vname, kind: 'copy', loop, container: vars });
            }
          }
        } else {
          this.vars.set(name.toLowerCase(), { name, kind: 'plain', src, container: vars });
        }
      }
    }
    const fns = getProp(template, 'functions');
    if (Array.isArray(fns)) {
      for (const ns of fns) {
        if (!isObj(ns)) continue;
        const nsName = getProp(ns, 'namespace');
        const members = getProp(ns, 'members');
        if (typeof nsName !== 'string' || !isObj(members)) continue;
        for (const m of Object.keys(members)) {
          const member = members[m];
          if (!isObj(member)) continue;
          const ps = getProp(member, 'parameters');
          const output = getProp(member, 'output');
          const name = `${nsName}.${m}`;
          if (Array.isArray(ps)) {
            for (const p of ps) {
              // user-defined-functions#limitations: "Parameters for the function can't have default values."
              if (isObj(p) && getProp(p, 'defaultValue') !== undefined) {
                const at = doc.location(doc.memberOffset(p, 'defaultValue') ?? doc.offsetOf(p) ?? 0);
                scan.evaluationError(new TemplateError(`user-defined function '${name}': parameter '${textOf(getProp(p, 'name'))}' has a default value, which ARM does not allow`, at));
              }
            }
          }
          this.fns.set(name.toLowerCase(), {
            name,
            parameters: Array.isArray(ps) ? ps.map((p) => textOf(isObj(p) ? getProp(p, 'name') : p)) : [],
            output: (isObj(output) ? getProp(output, 'value') ?? null : null) as JsonValue,
            container: (isObj(output) ? output : member),
            doc,
          });
        }
      }
    }
  }

  /** A scope outside any scan (expression evaluation for tests and tooling). */
  static standalone(doc: SourceDoc, template: Obj, supplied: ParamValues, context?: Partial<DeploymentContext>): TemplateScope {
    const scan = new Scan({ fs: { readFile: () => { throw new Error('no file system'); }, exists: () => false }, deploymentContext: context });
    return new TemplateScope(scan, doc, template, supplied, scan.context.deploymentName);
  }

  /** Expressions of the scan that could not be evaluated (they are errors of the template). */
  errors(): Diagnostic[] {
    return this.scan.diagnostics.filter((d) => d.severity === 'error');
  }

  /** The budget of the scan this scope belongs to. */
  get budget(): Budget {
    return this.scan.budget;
  }

  private checkCount(section: Obj, what: string, max: number): void {
    const n = Object.keys(section).length;
    if (n > max) this.limit(`the template declares ${n} ${what}; ARM allows at most ${max}`, section);
  }

  private limit(message: string, at: object): never {
    throw new LimitError(message, this.doc.location(this.doc.offsetOf(at) ?? 0));
  }

  // ---- EvalHost ------------------------------------------------------------------------

  parameter(name: string, env: Env): EvaluatedValue {
    const hit = this.paramByName.get(name);
    if (hit !== undefined) {
      if (this.secureParams.has(name)) this.taint.force();
      return hit;
    }
    const key = name.toLowerCase();
    const p = this.params.get(key);
    if (!p) throw siteError(env, `The template parameter '${name}' is not found`);
    const cached = this.paramCache.get(key);
    if (cached === IN_PROGRESS) throw siteError(env, `parameter '${name}' refers to itself through its defaultValue`);
    if (cached !== undefined) {
      this.paramByName.set(name, cached);
      if (this.secureParams.has(key)) {
        this.secureParams.add(name);
        this.taint.force();
      }
      return cached;
    }
    let v: EvaluatedValue;
    let secure = false;
    if (this.supplied?.has(key)) {
      v = this.supplied.get(key)!;
      secure = this.supplied.secure.has(key);
    } else {
      const dv = getProp(p.decl, 'defaultValue');
      if (dv !== undefined) {
        this.paramCache.set(key, IN_PROGRESS);
        try {
          v = evalJson(dv as JsonValue, this.baseEnv, p.decl, 'defaultValue');
          secure = this.taint.t;
        } finally {
          this.paramCache.delete(key);
        }
      } else {
        v = new UnknownValue(`parameter '${p.name}' has no value (no parameter file value and no defaultValue)`, this.doc.location(this.doc.memberOffset(p.section, p.name) ?? 0), `parameters('${p.name}')`);
      }
    }
    if (isSecureDecl(p.decl, this.template)) {
      this.secrets.addValue(v);
      if (v !== null && typeof v === 'object' && !(v instanceof UnknownValue)) this.taint.markWhole(v);
      secure = true;
    }
    this.paramCache.set(key, v);
    this.paramByName.set(name, v);
    if (secure) {
      this.secureParams.add(key).add(name);
      this.taint.force();
    }
    return v;
  }

  variable(name: string, env: Env): EvaluatedValue {
    const hit = this.varByName.get(name);
    if (hit !== undefined) {
      if (this.secureVars.has(name)) this.taint.force();
      return hit;
    }
    const key = name.toLowerCase();
    const d = this.vars.get(key);
    if (!d) throw siteError(env, `The template variable '${name}' is not found`);
    const cached = this.varCache.get(key);
    if (cached === IN_PROGRESS) throw siteError(env, `circular reference: variable '${d.name}' depends on itself`);
    if (cached !== undefined) {
      this.varByName.set(name, cached);
      if (this.secureVars.has(key)) {
        this.secureVars.add(name);
        this.taint.force();
      }
      return cached;
    }
    this.varCache.set(key, IN_PROGRESS);
    let v: EvaluatedValue;
    try {
      if (d.kind === 'plain') {
        v = evalJson(d.src, this.baseEnv, d.container, d.name);
      } else {
        v = this.evaluateCopyArray(d.loop, d.name, this.baseEnv, false);
      }
    } catch (e) {
      this.varCache.delete(key);
      throw e;
    }
    const secure = this.taint.t;
    this.varCache.set(key, v);
    this.varByName.set(name, v);
    if (secure) {
      this.secureVars.add(key).add(name);
      this.taint.force();
    }
    return v;
  }

  userFunction(lowerFullName: string): UserFunction | undefined {
    return this.fns.get(lowerFullName);
  }

  deployment(env: Env): EvaluatedValue {
    return fromPlain({
      name: this.deploymentName,
      properties: {
        // Linked templates resolve relative to the main template's own URI, which locally is its file.
        templateLink: { uri: (this.fileUri ??= pathToFileURL(this.doc.absPath).href), contentVersion: '1.0.0.0' },
        template: { contentVersion: (getProp(this.template, 'contentVersion') as string | undefined) ?? '1.0.0.0' },
        parameters: {},
        mode: 'Incremental',
        provisioningState: 'Accepted',
      },
      location: this.context.location ?? new UnknownValue('the deployment location is known only at deployment', env.site.doc.location(siteOffset(env.site)), env.site.text),
    }, 'deployment()');
  }

  diagnostic(severity: 'error' | 'warning' | 'info', message: string, site: Site): void {
    this.scan.diagnostics.push({ severity, message, location: site.doc.location(siteOffset(site)) });
  }

  evaluationError(error: TemplateError): void {
    this.scan.evaluationError(error);
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** A `{ name, count, input }` loop evaluated to an array (variable copy / output copy). */
  evaluateCopyArray(loop: Obj, name: string, env: Env, resourceLoop: boolean): EvaluatedValue {
    const count = copyCount(evalJson((getProp(loop, 'count') ?? 0) as JsonValue, env, loop, 'count'), env, loop, name);
    const input = (getProp(loop, 'input') ?? null) as JsonValue;
    const lname = resourceLoop ? '' : name.toLowerCase();
    const items: EvaluatedValue[] = [];
    let secure = false;
    const add = (index: number | UnknownValue): void => {
      items.push(evalJson(input, withCopy(env, { name: lname, resourceLoop, index, parent: env.copy }), loop, 'input'));
      if (this.taint.t) { this.taint.markMember(items, items.length - 1); secure = true; }
    };
    if (count instanceof UnknownValue) {
      add(count);
      this.diagnostic('info', `copy '${name}' has a count known only at deployment (${count.reason}); one element was evaluated with an unknown copyIndex`, { doc: this.doc, offset: this.doc.memberOffset(loop, 'count') ?? 0, text: '' });
    } else {
      for (let i = 0; i < count; i++) add(i);
    }
    this.origins.set(items, { doc: this.doc, itemOffset: this.doc.memberOffset(loop, 'input') ?? 0 });
    this.taint.t = secure;
    return items;
  }

  /**
   * Whether a secure parameter has a value of its own (a defaultValue, without a supplied value):
   * evaluating what reads it registers that value as a secret, so it cannot be left unevaluated.
   */
  hasSecureDefault(): boolean {
    for (const [key, p] of this.params) {
      if (this.supplied?.has(key)) continue;
      if (isSecureDecl(p.decl, this.template) && getProp(p.decl, 'defaultValue') !== undefined) return true;
    }
    return false;
  }

  paramDecl(name: string): ParamDecl | undefined {
    return this.params.get(name.toLowerCase());
  }

  varSource(name: string): JsonValue | undefined {
    const d = this.vars.get(name.toLowerCase());
    if (!d) return undefined;
    return d.kind === 'plain' ? d.src : (d.loop as JsonValue);
  }

  get env(): Env {
    return this.baseEnv;
  }

  // ---- resources ---------------------------------------------------------------------------

  /**
   * `copyPath`: the copy loops of the deployments around this template, which tell their instances
   * apart (the template's own expressions see them only in an outer-scope nested template).
   */
  evaluateResources(deploymentPath: string[], scopeForExpressions: TemplateScope = this, parentCopy?: CopyBinding, copyPath: readonly CopyStep[] = []): void {
    const resources = getProp(this.template, 'resources');
    const base = scopeForExpressions.baseEnv;
    const env: Env = makeEnv(base.host, this.doc, base.site, parentCopy);
    if (Array.isArray(resources)) {
      for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        if (isObj(r)) this.evaluateResource(r, undefined, env, deploymentPath, undefined, scopeForExpressions, copyPath);
      }
    } else if (isObj(resources)) {
      for (const sym of Object.keys(resources)) {
        const r = resources[sym];
        if (isObj(r)) this.evaluateResource(r, sym, env, deploymentPath, undefined, scopeForExpressions, copyPath);
      }
    }
  }

  private evaluateResource(
    decl: Obj, symbolicName: string | undefined, env: Env, deploymentPath: string[],
    parent: { type: string; name: string } | undefined, exprScope: TemplateScope, copyPath: readonly CopyStep[],
  ): void {
    const doc = this.doc;
    const declLoc = doc.location(doc.offsetOf(decl) ?? 0);
    const copy = getProp(decl, 'copy');
    const bindings: (CopyBinding | undefined)[] = [];
    let loopName = '';
    if (isObj(copy)) {
      loopName = textOf(getProp(copy, 'name'));
      const count = copyCount(evalJson((getProp(copy, 'count') ?? 0) as JsonValue, env, copy, 'count'), env, copy, loopName);
      if (count instanceof UnknownValue) {
        bindings.push({ name: loopName.toLowerCase(), resourceLoop: true, index: count, parent: env.copy });
        this.scan.diagnostics.push({
          severity: 'info',
          message: `resource copy '${loopName}' has a count known only at deployment (${count.reason}); one instance was evaluated with an unknown copyIndex`,
          location: doc.location(doc.memberOffset(copy, 'count') ?? doc.offsetOf(copy) ?? 0),
        });
      } else {
        for (let i = 0; i < count; i++) bindings.push({ name: loopName.toLowerCase(), resourceLoop: true, index: i, parent: env.copy });
      }
    } else {
      bindings.push(env.copy);
    }

    for (const binding of bindings) {
      if (++this.scan.budget.resources > LIMITS.scanResources) {
        throw new LimitError(`the template deploys more than ${LIMITS.scanResources} resources with its nested and linked deployments, the gate's budget per template`, declLoc);
      }
      if (++this.resourceCount > LIMITS.resources) {
        throw new LimitError(`the template deploys more than ${LIMITS.resources} resources (copies included); ARM allows at most ${LIMITS.resources} per template`, declLoc);
      }
      const ienv: Env = binding === env.copy ? env : withCopy(env, binding);
      const instancePath = binding === env.copy || binding === undefined ? copyPath : [...copyPath, { loop: loopName, index: typeof binding.index === 'number' ? binding.index : null }];
      let conditionUnknown: UnknownValue | undefined;
      const condSrc = getProp(decl, 'condition');
      if (condSrc !== undefined) {
        const c = evalJson(condSrc as JsonValue, ienv, decl, 'condition');
        if (c instanceof UnknownValue) conditionUnknown = c;
        else if (c === false || (typeof c === 'string' && c.toLowerCase() === 'false')) continue;
      }
      const typeV = evalJson((getProp(decl, 'type') ?? '') as JsonValue, ienv, decl, 'type');
      const rawType = typeof typeV === 'string' ? typeV : UNKNOWN_NAME;
      const qualified = rawType.includes('/');
      const type = parent && !qualified ? `${parent.type}/${rawType}` : rawType;
      const nameSrc = (getProp(decl, 'name') ?? '') as JsonValue;
      const nameV = evalJson(nameSrc, ienv, decl, 'name');
      const shortName = typeof nameV === 'string'
        ? nameV
        : nameV instanceof UnknownValue ? (typeof nameSrc === 'string' ? displayName(nameSrc, ienv, decl, 'name') : UNKNOWN_NAME) : JSON.stringify(nameV);
      const name = parent && !qualified ? `${parent.name}/${shortName}` : shortName;
      const isDeployment = keyIs(type, 'microsoft.resources/deployments');

      const body = newObj();
      for (const k of Object.keys(decl)) {
        if (keyIs(k, 'copy') || keyIs(k, 'resources') || keyIs(k, 'condition')) continue;
        if (keyIs(k, 'type')) { setProp(body, k, typeV); continue; }
        if (keyIs(k, 'name')) { setProp(body, k, nameV); continue; }
        if (isDeployment && keyIs(k, 'properties') && isObj(decl[k])) {
          setProp(body, k, this.evaluateDeploymentProperties(decl[k], ienv));
          continue;
        }
        setProp(body, k, evalJson(decl[k] as JsonValue, ienv, decl, k));
      }
      this.origins.set(body, { doc, src: decl });
      const apiVersion = getProp(body, 'apiVersion');
      const resource: EvaluatedResource = {
        type,
        name,
        apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined,
        body,
        location: declLoc,
        locate: makeLocate(this.origins, this.scan.docs, body, declLoc),
        deploymentPath,
      };
      if (instancePath.length > 0) resource.copyPath = instancePath;
      if (conditionUnknown) resource.conditionUnknown = conditionUnknown;
      if (symbolicName !== undefined) resource.symbolicName = symbolicName;
      if (getProp(decl, 'existing') === true) resource.existing = true;
      this.scan.resources.push(resource);

      if (isDeployment && !resource.existing) this.evaluateDeployment(decl, name, ienv, deploymentPath, exprScope, instancePath);

      const children = getProp(decl, 'resources');
      if (Array.isArray(children)) {
        for (const child of children) {
          if (isObj(child)) this.evaluateResource(child, undefined, ienv, deploymentPath, { type, name }, exprScope, instancePath);
        }
      } else if (isObj(children)) {
        for (const sym of Object.keys(children)) {
          const child = children[sym];
          if (isObj(child)) this.evaluateResource(child, sym, ienv, deploymentPath, { type, name }, exprScope, instancePath);
        }
      }
    }
  }

  /** A deployment's properties without the inline template, which is evaluated on its own. */
  private evaluateDeploymentProperties(props: Obj, env: Env): Obj {
    const out = newObj();
    for (const k of Object.keys(props)) {
      if (keyIs(k, 'template')) continue;
      setProp(out, k, evalJson(props[k] as JsonValue, env, props, k));
    }
    this.origins.set(out, { doc: this.doc, src: props });
    return out;
  }

  private evaluateDeployment(decl: Obj, name: string, env: Env, deploymentPath: string[], exprScope: TemplateScope, copyPath: readonly CopyStep[]): void {
    const props = getProp(decl, 'properties');
    if (!isObj(props)) return;
    const innerPath = [...deploymentPath, name];
    const tpl = getProp(props, 'template');
    const declOffset = this.doc.offsetOf(decl) ?? 0;
    if (isObj(tpl)) {
      const opts = getProp(props, 'expressionEvaluationOptions');
      const scope = isObj(opts) ? getProp(opts, 'scope') : undefined;
      if (typeof scope === 'string' && scope.toLowerCase() === 'inner') {
        const supplied = this.deploymentParameters(props, env);
        const inner = new TemplateScope(this.scan, this.doc, tpl, supplied, name);
        inner.evaluateResources(innerPath, inner, undefined, copyPath);
      } else {
        // Outer scope: the nested template's expressions see the parent's parameters and variables.
        const nested = new TemplateScope(this.scan, this.doc, tpl, undefined, name);
        nested.evaluateResources(innerPath, exprScope, env.copy, copyPath);
      }
      return;
    }
    const link = getProp(props, 'templateLink');
    if (!isObj(link)) return;
    const linkOffset = this.doc.memberOffset(props, 'templateLink') ?? declOffset;
    const target = this.resolveLink(link, env, linkOffset);
    if (!target) return;
    if (this.scan.linkStack.includes(target) || this.scan.linkStack.length >= MAX_LINK_DEPTH) {
      this.scan.diagnostics.push({ severity: 'warning', message: `linked template ${this.scan.display(target)} is not followed: the links form a cycle or are nested more than ${MAX_LINK_DEPTH} deep`, location: this.doc.location(linkOffset) });
      return;
    }
    const loaded = this.scan.load(target, 'template');
    if (!isObj(loaded.value)) throw new TemplateError('a linked template must be a JSON object', loaded.doc.location(0));
    let supplied = this.deploymentParameters(props, env);
    const plink = getProp(props, 'parametersLink');
    if (isObj(plink)) {
      const pfile = this.resolveLink(plink, env, this.doc.memberOffset(props, 'parametersLink') ?? declOffset);
      if (pfile) supplied = readParameterFile(this.scan, pfile, loaded.value);
    }
    this.scan.linkStack.push(target);
    try {
      const inner = new TemplateScope(this.scan, loaded.doc, loaded.value, supplied, name);
      inner.evaluateResources(innerPath, inner, undefined, copyPath);
    } finally {
      this.scan.linkStack.pop();
    }
  }

  /** templateLink / parametersLink → local path inside the allowed roots, or a diagnostic and undefined. */
  private resolveLink(link: Obj, env: Env, offset: number): string | undefined {
    const p = this.locateLink(link, env, offset);
    if (p === undefined || this.scan.allowed(p)) return p;
    const rel = getProp(link, 'relativePath');
    const given = rel !== undefined ? evalJson(rel as JsonValue, env, link, 'relativePath') : evalJson(getProp(link, 'uri') as JsonValue, env, link, 'uri');
    this.scan.diagnostics.push({
      severity: 'warning',
      message: `linked template '${typeof given === 'string' ? redactUri(given) : '?'}' resolves outside the scan root; it is not read and its resources are not checked (scan from a root folder that holds it)`,
      location: this.doc.location(offset),
    });
    return undefined;
  }

  private locateLink(link: Obj, env: Env, offset: number): string | undefined {
    const fs = this.scan.options.fs;
    const where = this.doc.location(offset);
    const rel = getProp(link, 'relativePath');
    if (rel !== undefined) {
      const v = evalJson(rel as JsonValue, env, link, 'relativePath');
      if (typeof v !== 'string') {
        this.scan.diagnostics.push({ severity: 'warning', message: `linked template path is known only at deployment${v instanceof UnknownValue ? ` (${v.reason})` : ''}; its resources are not checked`, location: where });
        return undefined;
      }
      const mapped = ownEntry(this.scan.options.linkedTemplateMap, v);
      const p = mapped !== undefined ? path.resolve(mapped) : path.resolve(path.dirname(this.doc.absPath), v);
      if (!fs.exists(p)) {
        this.scan.diagnostics.push({ severity: 'warning', message: `linked template '${v}' not found at ${this.scan.display(p)}; its resources are not checked`, location: where });
        return undefined;
      }
      return p;
    }
    const uriSrc = getProp(link, 'uri');
    if (uriSrc !== undefined) {
      const v = evalJson(uriSrc as JsonValue, env, link, 'uri');
      if (typeof v !== 'string') {
        this.scan.diagnostics.push({ severity: 'warning', message: `linked template URI is known only at deployment${v instanceof UnknownValue ? ` (${v.reason})` : ''}; its resources are not checked (map the URI to a local file: armgate --linked-template '<uri>=<file>', task input linkedTemplates)`, location: where });
        return undefined;
      }
      const map = this.scan.options.linkedTemplateMap;
      const noQuery = v.split('?')[0];
      let p: string | undefined = ownEntry(map, v) ?? ownEntry(map, noQuery);
      if (p !== undefined) p = path.resolve(p);
      else if (noQuery.startsWith('file:')) {
        try { p = fileURLToPath(noQuery); } catch { p = undefined; }
      }
      if (p === undefined) {
        p = this.localCopyOf(noQuery);
        if (p !== undefined) {
          this.scan.diagnostics.push({ severity: 'info', message: `linked template ${redactUri(v)} was read from the local file ${this.scan.display(p)} with the same path`, location: where });
        }
      }
      if (p === undefined || !fs.exists(p)) {
        this.scan.diagnostics.push({ severity: 'warning', message: `linked template ${redactUri(v)} is not available locally; its resources are not checked (map the URI to a local file: armgate --linked-template '<uri>=<file>', task input linkedTemplates)`, location: where });
        return undefined;
      }
      return p;
    }
    if (getProp(link, 'id') !== undefined) {
      this.scan.diagnostics.push({ severity: 'warning', message: 'template spec links (templateLink.id) are not resolved; the spec\'s resources are not checked', location: where });
    }
    return undefined;
  }

  /**
   * Repositories usually hold the linked templates they publish, in the same layout: the
   * longest tail of the URI path that exists beside the linking template is taken as its copy.
   */
  private localCopyOf(uri: string): string | undefined {
    const base = path.dirname(this.doc.absPath);
    for (const candidate of localCandidates(base, uri)) {
      // A bare file name matching a template on the link stack is another sample's namesake, not a copy.
      if (this.scan.linkStack.includes(candidate) || candidate === this.doc.absPath) continue;
      if (this.scan.localFile(candidate)) return candidate;
    }
    return undefined;
  }

  /** properties.parameters of a deployment, evaluated in the calling scope. */
  private deploymentParameters(props: Obj, env: Env): ParamValues {
    const out = new ParamValues();
    const ps = getProp(props, 'parameters');
    if (!isObj(ps)) return out;
    for (const name of Object.keys(ps)) {
      const entry = ps[name];
      if (!isObj(entry)) continue;
      const ref = getProp(entry, 'reference');
      const key = name.toLowerCase();
      if (getProp(entry, 'value') !== undefined) {
        out.set(key, evalJson(getProp(entry, 'value') as JsonValue, env, entry, 'value'));
        if (this.taint.t) out.secure.add(key);
      } else if (isObj(ref)) {
        out.set(key, keyVaultUnknown(name, ref, this.doc.location(this.doc.memberOffset(ps, name) ?? 0)));
        out.secure.add(key);
      }
    }
    return out;
  }
}

const candidateCache = new Map<string, readonly string[]>();

/** Paths a linked URI may have beside `base`, longest tail first; the same links recur across a scan. */
function localCandidates(base: string, uri: string): readonly string[] {
  const key = `${base}\n${uri}`;
  let hit = candidateCache.get(key);
  if (hit === undefined) {
    hit = computeLocalCandidates(base, uri);
    if (candidateCache.size > 5000) candidateCache.clear();
    candidateCache.set(key, hit);
  }
  return hit;
}

function computeLocalCandidates(base: string, uri: string): string[] {
  let segments: string[];
  try {
    segments = new URL(uri).pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return [];
  }
  if (segments.some((s) => s === '..' || s.includes('\\'))) return [];
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) out.push(path.join(base, ...segments.slice(i)));
  return out;
}

/**
 * Whether `key` is `lower` in any case. Most keys differ in length, and lower-casing every key of
 * every resource instance made a new string for each one that has a capital (`apiVersion`).
 */
function keyIs(key: string, lower: string): boolean {
  return key.length === lower.length && (key === lower || key.toLowerCase() === lower);
}

function redactUri(u: string): string {
  // SAS tokens ride in the query string; never echo them.
  const q = u.indexOf('?');
  return q === -1 ? u : `${u.slice(0, q)}?<query omitted>`;
}

function keyVaultUnknown(param: string, ref: Obj, loc: SourceLocation): UnknownValue {
  const secret = getProp(ref, 'secretName');
  const kv = getProp(ref, 'keyVault');
  const id = isObj(kv) ? getProp(kv, 'id') : undefined;
  const vault = typeof id === 'string' ? id.split('/').pop() : undefined;
  return new UnknownValue(
    `parameter '${param}' is the Key Vault secret '${typeof secret === 'string' ? secret : '?'}'${vault ? ` in vault '${vault}'` : ''}, known only at deployment`,
    loc,
  );
}

const GEN_PLACEHOLDER = /^GEN[-_][A-Z0-9_-]*$/i;

function replacePlaceholders(v: JsonValue, param: string, loc: SourceLocation): EvaluatedValue {
  if (typeof v === 'string') {
    return GEN_PLACEHOLDER.test(v) ? new UnknownValue(`parameter '${param}' is the placeholder "${v}" in the parameter file; its value is generated at deployment`, loc) : v;
  }
  if (Array.isArray(v)) return v.map((x) => replacePlaceholders(x, param, loc));
  if (isObj(v)) {
    const o = newObj();
    for (const k of Object.keys(v)) setProp(o, k, replacePlaceholders(v[k], param, loc));
    return o;
  }
  return v;
}

/** `type` of a parameter declaration, through `$ref` to `definitions` (languageVersion 2.0). */
function declaredType(decl: Obj, template: Obj): string | undefined {
  let type = getProp(decl, 'type');
  const ref = getProp(decl, '$ref');
  if (type === undefined && typeof ref === 'string') {
    const defs = getProp(template, 'definitions');
    const def = isObj(defs) ? getProp(defs, ref.replace(/^#\/definitions\//, '')) : undefined;
    type = isObj(def) ? getProp(def, 'type') : undefined;
  }
  return typeof type === 'string' ? type : undefined;
}

function isSecureDecl(decl: Obj, template: Obj): boolean {
  const t = declaredType(decl, template);
  return t !== undefined && t.length > 6 && t.toLowerCase().startsWith('secure');
}

/**
 * Reads a parameter file into lower-cased name → value (Key Vault refs and GEN-* placeholders
 * unknown). Values of the template's secure parameters are registered as secrets right here,
 * before anything could show them.
 */
function readParameterFile(scan: Scan, absPath: string, template: Obj): ParamValues {
  const declared = getProp(template, 'parameters');
  const { doc, value } = scan.load(absPath, 'parameter file');
  if (!isObj(value)) throw new TemplateError('a parameter file must be a JSON object', doc.location(0));
  const out = new ParamValues();
  const ps = getProp(value, 'parameters');
  if (!isObj(ps)) return out;
  for (const name of Object.keys(ps)) {
    const entry = ps[name];
    const loc = doc.location(doc.memberOffset(ps, name) ?? 0);
    if (!isObj(entry)) continue;
    const ref = getProp(entry, 'reference');
    const v = getProp(entry, 'value');
    if (v !== undefined) {
      const value = replacePlaceholders(v as JsonValue, name, loc);
      const decl = isObj(declared) ? getProp(declared, name) : undefined;
      if (isObj(decl) && isSecureDecl(decl, template)) scan.secrets.addValue(value);
      out.set(name.toLowerCase(), value);
    } else if (isObj(ref)) {
      out.set(name.toLowerCase(), keyVaultUnknown(name, ref, loc));
      out.secure.add(name.toLowerCase());
    }
  }
  return out;
}

function makeLocate(
  origins: Map<object, Origin>, docs: Map<string, { doc: SourceDoc }>, body: Obj, fallback: SourceLocation,
): EvaluatedResource['locate'] {
  return (p) => {
    let loc = fallback;
    let cur: EvaluatedValue | undefined = body;
    for (const seg of p) {
      if (cur === null || typeof cur !== 'object' || cur instanceof UnknownValue) break;
      const o = origins.get(cur) ?? literalOrigin(docs, cur);
      if (o) {
        let off: number | undefined;
        if (o.itemOffset !== undefined) off = o.itemOffset;
        else if (o.src) off = o.doc.memberOffset(o.src, seg) ?? (typeof seg === 'string' ? o.copyKeys?.get(seg.toLowerCase()) : undefined);
        if (off !== undefined) loc = o.doc.location(off);
      }
      cur = Array.isArray(cur) ? (typeof seg === 'number' ? cur[seg] : undefined) : getProp(cur, String(seg));
      if (cur === undefined) break;
    }
    return loc;
  };
}

/** A literal subtree is its own evaluated value (see evalJson): its source is the object itself. */
function literalOrigin(docs: Map<string, { doc: SourceDoc }>, v: object): Origin | undefined {
  for (const { doc } of docs.values()) if (doc.isLiteral(v)) return { doc, src: v };
  return undefined;
}

// ---- outputs, parameter info ---------------------------------------------------------------

const SECRET_PROP = /^(primary|secondary)?(master|access|shared|account|admin)?(key|keys|password|secret|connectionstring|connectionstrings)$/i;
const SECRET_LITERAL = /(AccountKey|SharedAccessKey|Password|pwd)=/i;

function secretReasonOfAst(ast: Ast, scope: TemplateScope, seenVars: Set<string>): string | undefined {
  switch (ast.k) {
    case 'str': return SECRET_LITERAL.test(ast.v) ? `builds a connection string with a key ('${ast.v.match(SECRET_LITERAL)![0]}')` : undefined;
    case 'num': return undefined;
    case 'prop':
      if (SECRET_PROP.test(ast.name) && hasRuntimeCall(ast.target)) return `reads '${ast.name}' from a runtime value`;
      return secretReasonOfAst(ast.target, scope, seenVars);
    case 'index': return secretReasonOfAst(ast.target, scope, seenVars) ?? secretReasonOfAst(ast.index, scope, seenVars);
    case 'call': {
      if (ast.name.startsWith('list')) return `uses ${ast.display}()`;
      const a0 = ast.args[0];
      if (ast.name === 'parameters' && a0?.k === 'str') {
        const d = scope.paramDecl(a0.v);
        const t = d ? getProp(d.decl, 'type') : undefined;
        if (typeof t === 'string' && t.toLowerCase().startsWith('secure')) return `references secure parameter '${d!.name}'`;
      }
      if (ast.name === 'variables' && a0?.k === 'str' && !seenVars.has(a0.v.toLowerCase())) {
        seenVars.add(a0.v.toLowerCase());
        const src = scope.varSource(a0.v);
        const r = src === undefined ? undefined : secretReasonOfJson(src, scope, seenVars);
        if (r) return `${r} (through variable '${a0.v}')`;
      }
      for (const arg of ast.args) {
        const r = secretReasonOfAst(arg, scope, seenVars);
        if (r) return r;
      }
      return undefined;
    }
  }
}

function hasRuntimeCall(ast: Ast): boolean {
  switch (ast.k) {
    case 'call': return ast.name === 'reference' || ast.name.startsWith('list') || ast.args.some(hasRuntimeCall);
    case 'prop': return hasRuntimeCall(ast.target);
    case 'index': return hasRuntimeCall(ast.target);
    default: return false;
  }
}

function secretReasonOfJson(v: JsonValue, scope: TemplateScope, seenVars: Set<string>): string | undefined {
  if (typeof v === 'string') {
    const c = classifyString(v);
    if ('literal' in c) return undefined;
    let ast: Ast;
    try { ast = parseExpression(c.expr); } catch (e) { if (e instanceof ExpressionSyntaxError) return undefined; throw e; }
    return secretReasonOfAst(ast, scope, seenVars);
  }
  if (Array.isArray(v)) {
    for (const x of v) { const r = secretReasonOfJson(x, scope, seenVars); if (r) return r; }
    return undefined;
  }
  if (isObj(v)) {
    for (const k of Object.keys(v)) { const r = secretReasonOfJson(v[k], scope, seenVars); if (r) return r; }
  }
  return undefined;
}

export function evaluateOutputs(scope: TemplateScope): TemplateOutputInfo[] {
  const outputs = getProp(scope.template, 'outputs');
  if (!isObj(outputs)) return [];
  const doc = scope.doc;
  const count = Object.keys(outputs).length;
  if (count > LIMITS.outputs) throw new LimitError(`the template declares ${count} outputs; ARM allows at most ${LIMITS.outputs}`, doc.location(doc.offsetOf(outputs) ?? 0));
  const out: TemplateOutputInfo[] = [];
  for (const name of Object.keys(outputs)) {
    const o = outputs[name];
    if (!isObj(o)) continue;
    const type = textOf(getProp(o, 'type'));
    const copy = getProp(o, 'copy');
    let value: EvaluatedValue;
    let src: JsonValue;
    if (isObj(copy)) {
      value = scope.evaluateCopyArray(copy, name, scope.env, true);
      src = copy as JsonValue;
    } else {
      src = (getProp(o, 'value') ?? null) as JsonValue;
      value = evalJson(src, scope.env, o, 'value');
    }
    const computedFromSecret = scope.taint.t;
    const cond = getProp(o, 'condition');
    if (cond !== undefined) {
      const c = evalJson(cond as JsonValue, scope.env, o, 'condition');
      if (c === false) continue;
    }
    const secure = type.toLowerCase().startsWith('secure');
    const reason = secure ? undefined : secretReasonOfJson(src, scope, new Set()) ?? (computedFromSecret ? 'is computed from a secure value' : undefined);
    const info: TemplateOutputInfo = { name, type, value, exposesSecret: reason !== undefined, location: doc.location(doc.memberOffset(outputs, name) ?? 0) };
    if (reason) info.secretReason = reason;
    out.push(info);
  }
  return out;
}

function containsExpression(v: JsonValue): boolean {
  // Only a string starting with '[' can be an expression (classifyString's own first test).
  if (typeof v === 'string') return v.charCodeAt(0) === 91 && 'expr' in classifyString(v);
  if (Array.isArray(v)) return v.some(containsExpression);
  if (isObj(v)) return Object.keys(v).some((k) => containsExpression(v[k]));
  return false;
}

export function parameterInfo(scope: TemplateScope): TemplateParameterInfo[] {
  const params = getProp(scope.template, 'parameters');
  if (!isObj(params)) return [];
  const defs = getProp(scope.template, 'definitions');
  const out: TemplateParameterInfo[] = [];
  for (const name of Object.keys(params)) {
    const d = params[name];
    if (!isObj(d)) continue;
    let type = getProp(d, 'type');
    const ref = getProp(d, '$ref');
    if (type === undefined && typeof ref === 'string' && isObj(defs)) {
      const def = getProp(defs, ref.replace(/^#\/definitions\//, ''));
      type = isObj(def) ? getProp(def, 'type') : undefined;
    }
    const dv = getProp(d, 'defaultValue');
    // Walked once: a default can be a large object, and every string in it is classified.
    const literal = dv !== undefined && !containsExpression(dv as JsonValue);
    const shownType = typeof type === 'string' ? type : 'unknown';
    const location = scope.doc.location(scope.doc.memberOffset(params, name) ?? 0);
    // Two literals rather than a conditional spread, which made every object the slow way.
    out.push(literal ? { name, type: shownType, hasLiteralDefault: true, literalDefault: dv, location } : { name, type: shownType, hasLiteralDefault: false, location });
  }
  return out;
}

// ---- entry points ----------------------------------------------------------------------------

export type JsonKind = 'template' | 'parameters' | 'other';

export function classifyValue(v: JsonValue): JsonKind {
  if (!isObj(v)) return 'other';
  const schema = getProp(v, '$schema');
  if (typeof schema === 'string') {
    const s = schema.toLowerCase();
    if (s.includes('deploymentparameters.json')) return 'parameters';
    if (s.includes('deploymenttemplate.json')) return 'template';
    return 'other';
  }
  return 'other';
}

/**
 * Evaluates a template (see index.ts). A passed limit or budget ends the template with a
 * TemplateError naming the limit and where evaluation stood.
 */
export function loadAndEvaluateImpl(file: string, options: LoadOptions): import('../model').EvaluatedTemplate {
  const scan = new Scan(options);
  const fallback = { file: scan.display(file), line: 1, column: 1 };
  try {
    return withBudget(scan.budget, () => evaluateTemplate(scan, file, options));
  } catch (e) {
    if (e instanceof LimitError) throw new TemplateError(`${e.message}; the template is not scanned`, e.location ?? scan.where(fallback));
    // Our own walks are iterative and bounded; this is the net under anything that still recurses.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new TemplateError('the template nests expressions, variables or deployments too deeply to evaluate; the template is not scanned', scan.where(fallback));
    }
    throw e;
  }
}

function evaluateTemplate(scan: Scan, file: string, options: LoadOptions): import('../model').EvaluatedTemplate {
  const { doc, value } = scan.load(file, 'template');
  if (!isObj(value)) throw new TemplateError('a template must be a JSON object', doc.location(0));
  if (classifyValue(value) === 'parameters') throw new TemplateError('this is a parameter file, not a template', doc.location(0));
  let parametersFile = options.parametersFile;
  if (parametersFile === undefined) {
    parametersFile = findParameterFileImpl(file, options.fs);
    // Found by name beside the template, so the template's folder chose it: it must stay in the root.
    if (parametersFile !== undefined && !scan.allowed(parametersFile)) {
      scan.diagnostics.push({
        severity: 'warning',
        message: `parameter file ${path.basename(parametersFile)} beside the template resolves outside the scan root; it is not read`,
        location: doc.location(0),
      });
      parametersFile = undefined;
    }
  }
  const supplied = parametersFile ? readParameterFile(scan, parametersFile, value) : undefined;
  const scope = new TemplateScope(scan, doc, value, supplied, scan.context.deploymentName);
  scan.linkStack.push(file);
  // Left out only when that changes nothing but the resource list: a secure default is registered
  // (masked) by evaluating what reads it, and which of them that is depends on the resources.
  if (options.resources !== false || scope.hasSecureDefault()) scope.evaluateResources([]);
  const outputs = evaluateOutputs(scope);
  const result: import('../model').EvaluatedTemplate = {
    file: doc.file,
    resources: scan.resources,
    parameters: parameterInfo(scope),
    outputs,
    diagnostics: scan.diagnostics,
  };
  if (parametersFile) result.parametersFile = scan.display(parametersFile);
  return result;
}

export function findParameterFileImpl(templatePath: string, fs: EngineFs): string | undefined {
  const dir = path.dirname(templatePath);
  const base = path.basename(templatePath);
  const m = /^(.*)\.(json|jsonc)$/i.exec(base);
  if (!m || /\.parameters$/i.test(m[1])) return undefined;
  for (const ext of ['.parameters.json', '.parameters.jsonc']) {
    const candidate = path.join(dir, m[1] + ext);
    if (fs.exists(candidate)) return candidate;
  }
  return undefined;
}

import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { CaribouError } from '@caribou/domain-common';

/** One `workflow.serverlessFunction({...}, handler)` call found in the app's sources. */
export interface DiscoveredFunction {
  /** The `name` option, or the handler's own name when `name` is omitted. */
  name: string;
  /** Functions invoked by the handler and the helpers it calls, in source order. */
  successors: string[];
  /** The handler or a helper it calls uses `getPredecessorData`. */
  isSync: boolean;
  /** `src/app.ts:12` */
  location: string;
}

const INVOKE = 'invokeServerlessFunction';
const PREDECESSOR_DATA = 'getPredecessorData';
const REGISTER = 'serverlessFunction';

type FunctionNode = ts.FunctionLikeDeclaration & { body?: ts.ConciseBody };

interface Registration {
  name: string;
  call: ts.CallExpression;
  handler: FunctionNode;
  location: string;
}

/**
 * Finds every registered function of a workflow app and, statically, the functions each
 * one invokes (reference-system §3.2, over TypeScript). The handler body is walked in
 * source order; a call to a function declared in the app's own files (same module or a
 * relative import) is expanded in place, once per call path, so the list follows the
 * order the calls run in. The first argument of `invokeServerlessFunction` must name a
 * registration; anything the checker cannot resolve to one is an error at its line.
 */
export function discoverWorkflowFunctions(appFile: string, projectDir: string): DiscoveredFunction[] {
  const program = createProgram(resolve(appFile));
  const checker = program.getTypeChecker();
  const projectFiles = program
    .getSourceFiles()
    .filter((file) => !file.isDeclarationFile && !file.fileName.split(/[\\/]/).includes('node_modules'));
  const projectFileNames = new Set(projectFiles.map((file) => file.fileName));
  const where = (node: ts.Node): string => {
    const file = node.getSourceFile();
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    return `${relative(projectDir, file.fileName).split('\\').join('/')}:${line}`;
  };

  const declarationOf = (expression: ts.Expression): ts.Declaration | undefined => {
    const target = ts.isPropertyAccessExpression(expression) ? expression.name : expression;
    let symbol = checker.getSymbolAtLocation(target);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    return declaration && projectFileNames.has(declaration.getSourceFile().fileName) ? declaration : undefined;
  };

  /** The function a declaration stands for: `function f() {}`, `const f = () => {}`, a method. */
  const functionOf = (declaration: ts.Declaration | undefined): FunctionNode | undefined => {
    if (!declaration) return undefined;
    if ((ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) && declaration.body) return declaration;
    const initializer =
      ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) ? declaration.initializer : undefined;
    const value = initializer && unwrap(initializer);
    return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
  };

  for (const file of projectFiles) refuseIndirectRuntimeCalls(file, where);
  const registrations = projectFiles.flatMap((file) => findRegistrations(file, functionOf, declarationOf, where));
  const registrationOfDeclaration = new Map<ts.Node, Registration>();
  const seenNames = new Map<string, Registration>();
  for (const registration of registrations) {
    const earlier = seenNames.get(registration.name);
    if (earlier) {
      throw new CaribouError(
        `Function name ${registration.name} is registered twice (${earlier.location} and ${registration.location}): give each serverlessFunction a distinct name`,
      );
    }
    seenNames.set(registration.name, registration);
    const binding = bindingOf(registration.call);
    if (binding) registrationOfDeclaration.set(binding, registration);
  }

  const successorName = (call: ts.CallExpression): string => {
    const [argument] = call.arguments;
    const declaration = argument && ts.isIdentifier(argument) ? declarationOf(argument) : undefined;
    const registration = declaration && registrationOfDeclaration.get(declaration);
    if (!registration) {
      const found = argument ? argument.getText() : 'no argument';
      throw new CaribouError(
        `${INVOKE}'s first argument must be a function registered with ${REGISTER}; found ${found} at ${where(call)}`,
      );
    }
    return registration.name;
  };

  return registrations.map((registration) => {
    const found = { successors: [] as string[], isSync: false };
    walkBody(registration.handler, [registration.handler], found);
    return { name: registration.name, successors: found.successors, isSync: found.isSync, location: registration.location };
  });

  /**
   * Every call must run on every invocation (instances are numbered by call position, and a
   * skipped call must tell the fan-ins downstream): a call under a condition, in a loop or in
   * a callback is refused, naming where it is and the fix.
   */
  function requireUnconditional(call: ts.Node, body: ts.Node, via: ConditionalCall | undefined): void {
    const own = conditionalContext(call, body);
    const context = own ?? via?.context;
    if (!context) return;
    const how = !own && via ? ` (through the call at ${where(via.call)})` : '';
    throw new CaribouError(
      `${INVOKE} at ${where(call)}${how} is ${context}; every call must run on every invocation: ` +
        `call it unconditionally and pass conditional = false as the third argument to skip it`,
    );
  }

  function walkBody(
    fn: FunctionNode,
    callPath: readonly FunctionNode[],
    found: { successors: string[]; isSync: boolean },
    via?: ConditionalCall,
  ): void {
    const visit = (node: ts.Node): void => {
      // Functions declared here run when called, and are expanded at their calls instead.
      if (node !== fn.body && isNamedFunctionDeclaration(node)) return;
      if (ts.isPropertyAccessExpression(node) && node.name.text === PREDECESSOR_DATA) found.isSync = true;
      if (!ts.isCallExpression(node)) {
        ts.forEachChild(node, visit);
        return;
      }
      const method = calledName(node.expression);
      if (method === INVOKE) {
        if (fn.body) requireUnconditional(node, fn.body, via);
        // Arguments are evaluated before the call is made.
        node.arguments.slice(1).forEach(visit);
        found.successors.push(successorName(node));
        return;
      }
      ts.forEachChild(node, visit);
      if (method === PREDECESSOR_DATA) found.isSync = true;
      if (method === PREDECESSOR_DATA || method === REGISTER) return;
      const callee = functionOf(declarationOf(node.expression));
      if (callee && !callPath.includes(callee)) {
        // A helper that invokes successors must itself be called unconditionally.
        const context = fn.body ? conditionalContext(node, fn.body) : undefined;
        walkBody(callee, [...callPath, callee], found, via ?? (context ? { call: node, context } : undefined));
      }
    };
    if (fn.body) visit(fn.body);
  }
}

/**
 * Successors are found by reading `x.invokeServerlessFunction(...)` calls; the same method
 * reached another way (`workflow['invokeServerlessFunction']`, `const invoke = workflow.invokeServerlessFunction`,
 * destructuring, `.call`/`.bind`) would call a successor the DAG does not have, and every
 * such run would fail. Refused with the place and the fix.
 */
function refuseIndirectRuntimeCalls(file: ts.SourceFile, where: (node: ts.Node) => string): void {
  const methods = new Set([INVOKE, PREDECESSOR_DATA]);
  const refuse = (node: ts.Node, method: string, how: string): never => {
    throw new CaribouError(
      `${method} at ${where(node)} is ${how}; Caribou finds a workflow's calls only as workflow.${method}(...): call it that way, directly`,
    );
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && methods.has(node.name.text)) {
      let outer: ts.Node = node;
      while (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isAsExpression(outer.parent)) outer = outer.parent;
      const called = ts.isCallExpression(outer.parent) && outer.parent.expression === outer;
      if (!called) refuse(node, node.name.text, 'used as a value (aliased, bound or passed on)');
    }
    if (ts.isElementAccessExpression(node)) {
      const key = node.argumentExpression;
      if ((ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key)) && methods.has(key.text)) refuse(node, key.text, `reached by a computed property (['${key.text}'])`);
    }
    if (ts.isBindingElement(node)) {
      const name = node.propertyName ?? node.name;
      if ((ts.isIdentifier(name) || ts.isStringLiteral(name)) && methods.has(name.text)) refuse(node, name.text, 'taken out of the workflow by destructuring');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

function createProgram(appFile: string): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    noEmit: true,
    // Only the app's own files matter: no lib, no packages (the SDK is recognised by method names).
    noLib: true,
    types: [],
  };
  const host = ts.createCompilerHost(options, true);
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, compilerOptions) =>
    literals.map((literal) =>
      literal.text.startsWith('.')
        ? ts.resolveModuleName(literal.text, containingFile, compilerOptions, host)
        : { resolvedModule: undefined },
    );
  return ts.createProgram({ rootNames: [appFile], options, host });
}

function findRegistrations(
  file: ts.SourceFile,
  functionOf: (declaration: ts.Declaration | undefined) => FunctionNode | undefined,
  declarationOf: (expression: ts.Expression) => ts.Declaration | undefined,
  where: (node: ts.Node) => string,
): Registration[] {
  const registrations: Registration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && calledName(node.expression) === REGISTER && node.arguments.length >= 2) {
      registrations.push(readRegistration(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return registrations;

  function readRegistration(call: ts.CallExpression): Registration {
    const [options, handlerArgument] = call.arguments as unknown as [ts.Expression, ts.Expression];
    const location = where(call);
    if (!ts.isObjectLiteralExpression(options)) {
      throw new CaribouError(
        `${REGISTER}'s first argument must be an object literal such as { name: 'my_function' }; found ${options.getText()} at ${location}`,
      );
    }
    const handlerValue = unwrap(handlerArgument);
    const handler =
      ts.isArrowFunction(handlerValue) || ts.isFunctionExpression(handlerValue)
        ? handlerValue
        : ts.isIdentifier(handlerValue)
          ? functionOf(declarationOf(handlerValue))
          : undefined;
    if (!handler) {
      throw new CaribouError(
        `${REGISTER}'s second argument must be a function declared in the app; found ${handlerArgument.getText()} at ${location}`,
      );
    }
    const name = nameOption(options, location) ?? handlerName(handler, handlerValue);
    if (!name) {
      throw new CaribouError(`${REGISTER} at ${location} needs a name: pass { name: '...' } or a named handler function`);
    }
    return { name, call, handler, location };
  }
}

function nameOption(options: ts.ObjectLiteralExpression, location: string): string | undefined {
  for (const property of options.properties) {
    if (property.name && ts.isIdentifier(property.name) && property.name.text === 'name') {
      const value = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
      if (value && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) return value.text;
      throw new CaribouError(
        `${REGISTER}'s name option must be a string literal so the workflow can be analysed before it runs; found ${property.getText()} at ${location}`,
      );
    }
  }
  return undefined;
}

/** The name JavaScript gives the handler: its own, or the variable it is assigned to. */
function handlerName(handler: FunctionNode, argument: ts.Expression): string | undefined {
  if (handler.name && ts.isIdentifier(handler.name)) return handler.name.text;
  if (ts.isIdentifier(argument) && ts.isVariableDeclaration(handler.parent) && ts.isIdentifier(handler.parent.name)) {
    return handler.parent.name.text;
  }
  return undefined;
}

/** The declaration that holds a registration: `const second = workflow.serverlessFunction(...)`. */
function bindingOf(call: ts.CallExpression): ts.Declaration | undefined {
  let node: ts.Node = call;
  while (
    ts.isParenthesizedExpression(node.parent) ||
    ts.isAsExpression(node.parent) ||
    ts.isSatisfiesExpression(node.parent) ||
    ts.isNonNullExpression(node.parent)
  ) {
    node = node.parent;
  }
  return ts.isVariableDeclaration(node.parent) && node.parent.initializer === node ? node.parent : undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

function calledName(callee: ts.Expression): string | undefined {
  const target = unwrap(callee);
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  if (ts.isIdentifier(target)) return target.text;
  return undefined;
}

function isNamedFunctionDeclaration(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return true;
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent)) return true;
  return false;
}

/** A helper call made under a condition: every successor call inside it inherits the condition. */
interface ConditionalCall {
  call: ts.CallExpression;
  context: string;
}

/** Why `node` may not run on every execution of `body` (a condition, a loop, a callback), or undefined. */
function conditionalContext(node: ts.Node, body: ts.Node): string | undefined {
  let child = node;
  for (let parent = node.parent; parent && child !== body; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && child !== parent.expression) return 'inside an if statement';
    if (ts.isConditionalExpression(parent) && child !== parent.condition) return 'inside a conditional (?:) expression';
    if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) return 'inside a switch case';
    if (ts.isIterationStatement(parent, false)) return 'inside a loop';
    if (ts.isCatchClause(parent)) return 'inside a catch block';
    if (
      ts.isBinaryExpression(parent) &&
      child === parent.right &&
      [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(parent.operatorToken.kind)
    ) {
      return 'on the right of a short-circuit operator';
    }
    if (ts.isFunctionLike(parent) && parent !== body.parent) return 'inside a callback';
  }
  return undefined;
}

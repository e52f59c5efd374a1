// Finds user-facing English that bypasses l10n.t: string and template literals handed to the
// editor's display APIs, set on tree items and the status bar, thrown as errors, or built into the
// messages the pure core returns for display. Uses the TypeScript compiler's own parser.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly why: string;
  /** Offsets of the literal in the file. */
  readonly start: number;
  readonly end: number;
}

/** Display properties: QuickPickItem, InputBoxOptions, MessageItem, progress, tree items, the status bar, and the core's message records. */
const DISPLAY_PROPERTIES = new Set([
  'label',
  'description',
  'detail',
  'placeHolder',
  'placeholder',
  'prompt',
  'title',
  'tooltip',
  'message',
  'text',
  'validationMessage',
  'summary',
  'accessibilityInformation',
]);
const MESSAGE_CALLS = /^show(Information|Warning|Error)Message$|^showQuickPick$|^showInputBox$|^withProgress$|^report$/;
const DISPLAY_CLASSES = /^(TreeItem|MarkdownString|Error|TypeError|RangeError)$/;

/** Text a user reads: two words of letters, once `${…}` holes and codicons like `$(sync~spin)` are taken out. */
export function isProse(text: string): boolean {
  const words = text.replace(/\$\([a-z-]+(~spin)?\)/g, ' ').replace(/\$\{[^}]*\}/g, ' ');
  return /[A-Za-z]{2,}[^A-Za-z\n]*\s[^A-Za-z\n]*[A-Za-z]{2,}/.test(words) || /^[A-Z][a-z]{2,}[.…]?$/.test(words.trim());
}

/** A template with a word in it (`${n} tasks`, `${name}: failed`) is a sentence with holes. */
function isProseTemplate(text: string): boolean {
  const words = text.replace(/\$\([a-z-]+(~spin)?\)/g, ' ').replace(/\$\{[^}]*\}/g, ' ');
  return (
    isProse(text) || (/\s/.test(text.trim()) && /(^|[^A-Za-z_])[a-z]{3,}/i.test(words.replace(/\b[A-Z0-9_]+\b/g, ' ')))
  );
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((span) => `\${…}${span.literal.text}`).join('');
  return undefined;
}

/** The literal itself, or the literal branches of `a ? 'x' : 'y'`, `a ?? 'x'`, `a || 'x'` and `'x' + y`. */
function literalsIn(node: ts.Expression, source: ts.SourceFile): ts.Node[] {
  const e = ts.isParenthesizedExpression(node) ? node.expression : node;
  if (literalText(e) !== undefined) return [e];
  if (ts.isConditionalExpression(e)) return [...literalsIn(e.whenTrue, source), ...literalsIn(e.whenFalse, source)];
  if (
    ts.isBinaryExpression(e) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.PlusToken].includes(
      e.operatorToken.kind,
    )
  )
    return [...literalsIn(e.left, source), ...literalsIn(e.right, source)];
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => literalsIn(x, source));
  return [];
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The literals of one file that reach a user without l10n.t. `coreWide`: every prose literal in these functions counts (core message builders). */
export function scanSource(file: string, text: string, coreFunctions: readonly string[] = []): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const flag = (node: ts.Node, why: string): void => {
    const value = literalText(node);
    if (value === undefined || !(ts.isTemplateExpression(node) ? isProseTemplate(value) : isProse(value))) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    findings.push({ file, line, text: value, why, start: node.getStart(source), end: node.getEnd() });
  };
  const check = (expr: ts.Expression | undefined, why: string): void => {
    if (expr) for (const literal of literalsIn(expr, source)) flag(literal, why);
  };
  const inCoreFunction = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node; n; n = n.parent) {
      const name =
        (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name
          ? n.name.getText(source)
          : ts.isVariableDeclaration(n) &&
              n.initializer &&
              (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
            ? n.name.getText(source)
            : undefined;
      if (name && (coreFunctions.includes(name) || coreFunctions.includes('*'))) return true;
    }
    return false;
  };
  const isLocalized = (node: ts.Node): boolean => {
    const parent = node.parent;
    return ts.isCallExpression(parent) && /^(vscode\.)?l10n\.t$/.test(parent.expression.getText(source));
  };
  const isLogOrCode = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node.parent; n && !ts.isBlock(n); n = n.parent) {
      if (
        ts.isCallExpression(n) &&
        /\b(log|logger|channel|output)\.(trace|debug|info|warn|error|appendLine|append)$/.test(
          n.expression.getText(source),
        )
      )
        return true;
      if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isCaseClause(n)) return true;
      // Identifiers that only look like words: context values, node ids, refs.
      if (
        ts.isPropertyAssignment(n) &&
        /^(contextValue|id|command|ref|ruleId|verdict|kind|status|severity)$/.test(n.name.getText(source))
      )
        return true;
      if (
        ts.isBinaryExpression(n) &&
        [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
          n.operatorToken.kind,
        )
      )
        return true;
    }
    return false;
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const name = calleeName(node);
      const args = node.arguments ?? [];
      if (name && ts.isCallExpression(node) && MESSAGE_CALLS.test(name)) args.forEach((a) => check(a, `${name}()`));
      if (name && ts.isNewExpression(node) && DISPLAY_CLASSES.test(name)) check(args[0], `new ${name}()`);
    }
    if (ts.isPropertyAssignment(node) && DISPLAY_PROPERTIES.has(node.name.getText(source))) {
      check(node.initializer, `${node.name.getText(source)}:`);
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left)
    ) {
      const prop = node.left.name.text;
      if (DISPLAY_PROPERTIES.has(prop)) check(node.right, `.${prop} =`);
    }
    if (coreFunctions.length > 0 && literalText(node) !== undefined && !ts.isTemplateSpan(node.parent)) {
      if (inCoreFunction(node) && !isLocalized(node) && !isLogOrCode(node) && !isPropertyKey(node))
        flag(node, 'core message');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // A literal handed to l10n.t is the localized text itself, not a finding.
  return findings
    .filter((f, i, all) => all.findIndex((g) => g.line === f.line && g.text === f.text) === i)
    .filter((f) => {
      const offset = source.getPositionOfLineAndCharacter(f.line - 1, 0);
      const lineText = text.slice(offset, text.indexOf('\n', offset));
      return !new RegExp(`l10n\\.t\\(\\s*['\`]${escapeRegExp(f.text.slice(0, 20))}`).test(lineText);
    });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f).split('\\').join('/'))
    .sort();
}

export function scanFile(file: string, coreFunctions: readonly string[] = []): Finding[] {
  return scanSource(file, readFileSync(file, 'utf8'), coreFunctions);
}

/** `'key'` in `{ 'key': value }`: a name, not text. */
function isPropertyKey(node: ts.Node): boolean {
  const parent = node.parent;
  return (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent)) && parent.name === node;
}

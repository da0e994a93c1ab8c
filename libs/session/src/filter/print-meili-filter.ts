import type { FilterCondition, FilterNode } from './filter-ast';
import { isBareFieldName } from './filter-lexicon';

/**
 * The canonical Meilisearch filter string for a filter tree: what the Meilisearch store sends, so
 * that Meilisearch evaluates exactly the tree that was validated here.
 *
 * - Every value is double-quoted and escaped, so no value can be read as a keyword, an operator
 *   or a geo function.
 * - Field names are bare when that is unambiguous, else quoted the same way.
 * - Parentheses only where the tree needs them: AND binds tighter than OR, and a nested `and`
 *   inside an `and` (or `or` inside `or`) keeps its parentheses, since neither parser flattens.
 * - Negated leaves use Meilisearch's infix forms: `x != v` stays `!=`, `NOT` of `IN`, `EXISTS`,
 *   `IS NULL`, `IS EMPTY` prints as `x NOT IN [..]`, `x NOT EXISTS`, `x IS NOT NULL`, `x IS NOT EMPTY`.
 *
 * For any tree `parseSessionFilter` or the filter builders produce,
 * `parseSessionFilter(printMeiliFilter(ast)).ast` deep-equals `ast`. Throws on a malformed tree
 * (an `and`/`or` with fewer than two operands): that is a programming error, not user input.
 */
export function printMeiliFilter(ast: FilterNode): string {
  return printOr(ast);
}

function printOr(node: FilterNode): string {
  if (node.type === 'or') {
    assertOperands(node.type, node.operands.length);
    return node.operands.map((operand) => (operand.type === 'or' ? `(${printOr(operand)})` : printAnd(operand))).join(' OR ');
  }
  return printAnd(node);
}

function printAnd(node: FilterNode): string {
  if (node.type === 'and') {
    assertOperands(node.type, node.operands.length);
    return node.operands
      .map((operand) => (operand.type === 'and' || operand.type === 'or' ? `(${printOr(operand)})` : printNot(operand)))
      .join(' AND ');
  }
  if (node.type === 'or') return `(${printOr(node)})`;
  return printNot(node);
}

function printNot(node: FilterNode): string {
  if (node.type === 'and' || node.type === 'or') return `(${printOr(node)})`;
  if (node.type !== 'not') return printCondition(node);
  const operand = node.operand;
  switch (operand.type) {
    case 'in':
      return `${field(operand.field)} NOT IN [${operand.values.map(quote).join(', ')}]`;
    case 'exists':
      return `${field(operand.field)} NOT EXISTS`;
    case 'is-null':
      return `${field(operand.field)} IS NOT NULL`;
    case 'is-empty':
      return `${field(operand.field)} IS NOT EMPTY`;
    default:
      return `NOT ${printNot(operand)}`;
  }
}

function printCondition(node: FilterCondition): string {
  switch (node.type) {
    case 'comparison':
      return `${field(node.field)} ${node.operator} ${quote(node.value)}`;
    case 'range':
      return `${field(node.field)} ${quote(node.from)} TO ${quote(node.to)}`;
    case 'in':
      return `${field(node.field)} IN [${node.values.map(quote).join(', ')}]`;
    case 'exists':
      return `${field(node.field)} EXISTS`;
    case 'is-null':
      return `${field(node.field)} IS NULL`;
    case 'is-empty':
      return `${field(node.field)} IS EMPTY`;
  }
}

function field(name: string): string {
  return isBareFieldName(name) ? name : quote(name);
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * Inside quotes Meilisearch reads every character as itself except backslash sequences, so only
 * `\` and `"` must be escaped; control characters are escaped too (`\n`, `\u001f`), as
 * Meilisearch's own serializer does (serde_json), so the filter stays one readable line.
 */
function quote(value: string): string {
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f]/g, (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

function assertOperands(type: 'and' | 'or', count: number): void {
  if (count < 2) throw new Error(`a filter '${type}' node needs at least two operands, got ${count}`);
}

// ESLint rule: SQL is sent with its values as parameters ($1, $2, …), never spliced in (issue #14 item 4). The
// statement handed to query/exec/sql/unsafe may be built only from constants: string literals, templates and
// concatenations of them, and `const` declarations (followed through imports with the type checker) whose value is
// built the same way — e.g. a column list kept in one constant. Anything else (a property, a function's result, a
// variable) is reported; the few statements that must name a run-time identifier validate it and say why in an
// eslint-disable comment. A bare parameter passed through (the database wrappers' own `query(text, params)`) is not
// reported there: every call of the wrapper is checked instead. RegExp's `exec` is not SQL and is skipped.
import ts from 'typescript';

const SQL_METHODS = new Set(['query', 'exec', 'sql', 'unsafe']);

function isConstant(node, checker, seen) {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    return isConstant(node.expression, checker, seen);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node))
    return true;
  if (ts.isTemplateExpression(node))
    return node.templateSpans.every((span) => isConstant(span.expression, checker, seen));
  if (ts.isBinaryExpression(node))
    return (
      node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
      isConstant(node.left, checker, seen) &&
      isConstant(node.right, checker, seen)
    );
  if (ts.isCallExpression(node)) {
    // ['a', 'b'].join(', ') of constants.
    const callee = node.expression;
    return (
      ts.isPropertyAccessExpression(callee) &&
      callee.name.text === 'join' &&
      ts.isArrayLiteralExpression(callee.expression) &&
      callee.expression.elements.every((element) => isConstant(element, checker, seen)) &&
      node.arguments.every((argument) => isConstant(argument, checker, seen))
    );
  }
  if (ts.isIdentifier(node)) {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (!declaration || seen.has(declaration) || !ts.isVariableDeclaration(declaration)) return false;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || !declaration.initializer)
      return false;
    return isConstant(declaration.initializer, checker, new Set([...seen, declaration]));
  }
  return false;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'SQL statements are built from constants only; values go in as parameters.' },
    messages: {
      interpolated:
        'SQL built from a value that is not a constant: pass it as a parameter ($1, …). A run-time identifier must be validated, and the exception justified in place.',
    },
    schema: [],
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (!services?.program) return {};
    const checker = services.program.getTypeChecker();
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        if (!SQL_METHODS.has(callee.property.name)) return;
        const statement = node.arguments[0];
        if (!statement) return;
        const receiver = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(callee.object));
        if (checker.typeToString(receiver) === 'RegExp') return;
        const tsStatement = services.esTreeNodeToTSNodeMap.get(statement);
        if (ts.isIdentifier(tsStatement)) {
          const declaration = checker.getSymbolAtLocation(tsStatement)?.valueDeclaration;
          if (declaration && ts.isParameter(declaration)) return;
        }
        if (!isConstant(tsStatement, checker, new Set()))
          context.report({ node: statement, messageId: 'interpolated' });
      },
    };
  },
};

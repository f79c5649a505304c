// What esbuild's loaders hand the client for non-code imports (../bundle.ts): a .graphql file's text.
declare module '*.graphql' {
  const text: string;
  export default text;
}
declare module '*.css';

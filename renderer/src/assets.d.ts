// Imports the bundler resolves: a file's URL (`?url`) and style sheets.
declare module '*?url' {
  const url: string;
  export default url;
}

declare module '*.css' {}

// The part of madge's API the architecture test uses (madge ships no types).
declare module "madge" {
  type Options = { baseDir?: string; fileExtensions?: string[]; tsConfig?: string; excludeRegExp?: RegExp[] };
  type Result = { circular(): string[][] };
  export default function madge(paths: string | string[], options?: Options): Promise<Result>;
}

// Types for symlink-doctor's API (index.js). The README documents each call.
//
// Self-contained: no @types/node needed (test/prebuilds.test.js checks it
// with tsc --strict in an empty project, with and without @types/node).
// Where @types/node is installed, Buffer and URL are Node's own; without
// it, Buffer stands for Uint8Array (what a Buffer is) and URL for the DOM's
// URL where the DOM library is loaded.

/** Node's Buffer where @types/node is loaded, else Uint8Array. */
export type Buffer = typeof globalThis extends { Buffer: { prototype: infer B } } ? B : Uint8Array
/** The global URL where a library declares one (@types/node, lib.dom), else never. */
export type URLLike = typeof globalThis extends { URL: { prototype: infer U } } ? U : never

/** The errors of Node's fs: an Error with the system call's facts. */
export interface ErrnoException extends Error {
  errno?: number
  code?: string
  path?: string
  syscall?: string
}

/** process.platform's values. */
export type Platform = 'aix' | 'android' | 'darwin' | 'freebsd' | 'haiku' | 'linux' | 'openbsd' | 'sunos' | 'win32' | 'cygwin' | 'netbsd'

export type PathLike = string | Buffer | URLLike
export type LinkKind = 'symlink' | 'junction' | 'shim' | 'hardlink' | 'copy'

export interface CreateLinkOptions {
  /** What the link is for; defaults to what the target is ('file' if missing). */
  type?: 'file' | 'dir' | 'junction'
  /** Allow the copy step. Default false. */
  allowCopy?: boolean
  /** The steps to try, in order. Default symlink,junction,shim,hardlink (+copy with allowCopy). */
  fallback?: LinkKind[] | string
  /** Replace an existing link (never a real file or directory). Default false. */
  replace?: boolean
}

export interface Attempt {
  kind: LinkKind
  /** Why the step did not apply (it was not tried). */
  skipped?: string
  code?: string
  errno?: number
  syscall?: string
  winerror?: number | null
  message?: string
}

/** A link inside a copied tree that the copy left out. */
export interface SkippedEntry {
  /** Where it would have been, relative to the copy. */
  path: string
  /** The link's own text. */
  target: string
  reason: 'points outside the copied tree' | 'dangling' | 'loop'
}

export interface LinkResult {
  kind: LinkKind
  /** As passed (a Buffer stays a Buffer). */
  path: string | Buffer
  target: string | Buffer
  /** The first kind that was refused or skipped; null when the first choice worked. */
  fallbackFrom: LinkKind | null
  /** What was refused and why, in words; null when nothing was. */
  reason: string | null
  attempts: Attempt[]
  /** What a copy left out (empty for the other kinds). */
  skipped: SkippedEntry[]
}

/** Thrown when no step could make the link: the first refusal, with the story. */
export interface LinkError extends ErrnoException {
  dest?: string
  /** replace: where something another process put at the path is kept. */
  keptAt?: string
  winerror?: number
  attempts?: Attempt[]
  reason?: string
}

export interface LinkInfo<T extends string | Buffer = string> {
  kind: 'symlink' | 'junction' | 'file' | 'directory' | 'other'
  /** As stored in the link; with encoding 'buffer', its exact bytes. */
  target: T | null
  relative: boolean
  targetExists: boolean
  nlink: number
  reparseTag: number
  /** A hard link, copy or shim createLink made in place of a symlink to target; else null. */
  fallback: { kind: 'hardlink' | 'copy' | 'shim', target: string, madeAt: string } | null
}

export interface ProbeAttempt {
  tried: boolean
  ok: boolean
  code: string | null
  errno: number | null
  winerror: number | null
  syscall: string | null
  message: string | null
}

export interface Refusal {
  kind: 'fileSymlink' | 'dirSymlink' | 'junction' | 'hardlink'
  code: string
  errno: number
  winerror: number | null
  syscall: string
  meaning: string
}

export interface Report {
  schemaVersion: 1
  native: boolean
  nativeError: string | null
  platform: Platform
  arch: string
  node: string
  dir: string
  can: { symlink: boolean, fileSymlink: boolean, dirSymlink: boolean, junction: boolean, hardlink: boolean }
  probe: { fileSymlink: ProbeAttempt, dirSymlink: ProbeAttempt, junction: ProbeAttempt, hardlink: ProbeAttempt }
  /** Filesystem facts; the keys depend on the platform (README). */
  volume: Record<string, string | number | boolean>
  /** Process and OS facts; the keys depend on the platform (README). */
  system: Record<string, string | number | boolean>
  refusals: Refusal[]
}

export function createLink (target: PathLike, path: PathLike, options?: CreateLinkOptions): Promise<LinkResult>
export function createLinkSync (target: PathLike, path: PathLike, options?: CreateLinkOptions): LinkResult
/** inspect's options, as fs.readlink takes them (only these two encodings). */
export type InspectEncoding = 'utf8' | 'buffer'
export type InspectOptions = InspectEncoding | { encoding?: InspectEncoding | null } | null

/**
 * Refuses real files and directories (EINVAL, EISDIR; syscall 'unlink').
 * If a racing writer put a real file at the name while removeLink had it
 * moved aside, what could not be put back stays under a hidden name in the
 * same directory: err.dest is that path, and the message says so.
 */
export function removeLink (path: PathLike): Promise<void>
export function removeLinkSync (path: PathLike): void
/** A Buffer path alone still gives a string target, as with fs.readlink: only encoding 'buffer' gives bytes. */
export function inspect (path: PathLike, options: 'buffer' | { encoding: 'buffer' }): Promise<LinkInfo<Buffer>>
export function inspect (path: PathLike, options?: 'utf8' | { encoding?: 'utf8' | null } | null): Promise<LinkInfo>
export function inspect (path: PathLike, options?: InspectOptions): Promise<LinkInfo<string | Buffer>>
export function inspectSync (path: PathLike, options: 'buffer' | { encoding: 'buffer' }): LinkInfo<Buffer>
export function inspectSync (path: PathLike, options?: 'utf8' | { encoding?: 'utf8' | null } | null): LinkInfo
export function inspectSync (path: PathLike, options?: InspectOptions): LinkInfo<string | Buffer>
export function canSymlink (dir?: PathLike): Promise<boolean>
export function canSymlinkSync (dir?: PathLike): boolean
export function diagnose (dir?: PathLike): Promise<Report>
export function diagnoseSync (dir?: PathLike): Report
/** True when the native core loaded (false: the pure-JS fallback serves). */
export const native: boolean

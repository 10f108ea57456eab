// The part of sentencepiece-js (SentencePiece compiled to WebAssembly; the package ships no types) kd uses.
declare module 'sentencepiece-js' {
  export class SentencePieceProcessor {
    /** reads a .spm / .model file from disk */
    load(path: string): Promise<void>;
    encodePieces(text: string): string[];
    encodeIds(text: string): number[];
    decodeIds(ids: number[]): string;
  }
  const spm: { SentencePieceProcessor: typeof SentencePieceProcessor };
  export default spm;
}

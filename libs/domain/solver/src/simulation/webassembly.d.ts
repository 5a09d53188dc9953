// The part of the WebAssembly JavaScript API the solver uses (row-arena.ts, kernels.ts). The
// repository compiles without the DOM library, whose declarations these are, and @types/node
// declares only the namespace.
export {};

declare global {
  namespace WebAssembly {
    interface MemoryDescriptor {
      initial: number;
      maximum?: number;
      shared?: boolean;
    }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
      grow(delta: number): number;
    }
    class Module {
      constructor(bytes: BufferSource);
      static exports(module: Module): Array<{ name: string; kind: string }>;
    }
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
  }
}

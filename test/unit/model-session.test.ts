import { describe, expect, it } from 'vitest';
import { gpuCandidates, providerFailure, toInt64 } from '../../main/core/model/session.js';

describe('execution provider choice', () => {
  it('tries the GPU providers this platform has, WebGPU first', () => {
    const c = gpuCandidates();
    if (process.platform === 'linux') expect(c).toEqual(process.arch === 'x64' ? ['webgpu', 'cuda'] : ['cuda']);
    if (process.platform === 'win32') expect(c).toEqual(['webgpu', 'dml', 'cuda']);
    if (process.platform === 'darwin') expect(c).toEqual(['webgpu', 'coreml']);
  });

  it('turns onnxruntime’s failures into reasons a person can read', () => {
    // Verbatim messages from onnxruntime-node 1.30 on a machine without a GPU.
    expect(
      providerFailure(
        new Error(
          '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n',
        ),
      ),
    ).toBe('no adapter found');
    expect(providerFailure(new Error('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library'))).toBe(
      'provider library not installed',
    );
    expect(providerFailure(new Error('no available backend found. ERR: [dml] backend not found.'))).toBe(
      'not available in this build of onnxruntime',
    );
    expect(providerFailure(new Error('/src/x.cc:12 something odd happened'))).toBe('something odd happened');
  });
});

describe('graph inputs', () => {
  it('widens token ids to int64 exactly, sign and extremes included', () => {
    const ids = Int32Array.of(0, 1, 3, 16_383, -1, 2 ** 31 - 1, -(2 ** 31));
    expect(Array.from(toInt64(ids))).toEqual(Array.from(ids, BigInt));
    expect(toInt64(new Int32Array(0)).length).toBe(0);
  });
});

// Open model sessions, kept for the life of the engine: opening one costs a graph load and
// onnxruntime's optimisation (a few hundred ms), and a session keeps caches worth keeping (the
// re-reader's token stream, WebGPU's buffers). One per (model, device, graph): reading uses the
// model's reading graph, scoring and re-reading the full graph.
import { openModel, type DeviceChoice, type GraphChoice, type Model } from '../core/model/session.js';

export class ModelSessions {
  private readonly open = new Map<string, Promise<Model>>();

  get(modelDir: string, device: DeviceChoice, graph: GraphChoice): Promise<Model> {
    const key = JSON.stringify([modelDir, device, graph]);
    let model = this.open.get(key);
    if (!model) {
      model = openModel(modelDir, device, { graph });
      // A failed open (no GPU, a broken model folder) is not kept: the next call tries again.
      model.catch(() => this.open.delete(key));
      this.open.set(key, model);
    }
    return model;
  }

  async releaseAll(): Promise<void> {
    const models = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(models.map(async (m) => (await m).release()));
  }
}

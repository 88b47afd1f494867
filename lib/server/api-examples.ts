// Examples in the OpenAPI document, taken from the provider's real payloads
// (tests/fixtures, copied from the project spec; tests/openapi.test.ts checks
// they still match those files).
export const EXAMPLES = {
  coverSuccess: {
    code: 200,
    msg: "success",
    data: {
      images: [
        "https://tempfile.aiquickdraw.com/s/1753958521_6c1b3015141849d1a9bf17b738ce9347.png",
        "https://tempfile.aiquickdraw.com/s/1753958524_c153143acc6340908431cf0e90cbce9e.png",
      ],
      taskId: "21aee3c3c2a01fa5e030b3799fa4dd56",
    },
  },
  coverFailed501: { code: 501, msg: "Cover generation failed", data: { taskId: "4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e", images: null } },
  wavSuccess: {
    code: 200,
    msg: "success",
    data: { audioWavUrl: "https://example.com/s/04e6a1b2c3d4e727.wav", task_id: "988e1f2a3b4cc8d3" },
  },
  wavFailed451: {
    code: 451,
    msg: "Download Failed - Unable to download source audio file",
    data: { audioWavUrl: null, task_id: "3c3d3e3f4a4b4c4d" },
  },
} as const;

/** Which fixture file each example is (tests/fixtures/callbacks/<name>.json). */
export const EXAMPLE_FILES: Record<keyof typeof EXAMPLES, string> = {
  coverSuccess: "cover-success",
  coverFailed501: "cover-failed-501",
  wavSuccess: "wav-success",
  wavFailed451: "wav-failed-451",
};

/** Ids from the provider's record-info fixtures (tests/fixtures/provider): a cover's music task, a WAV's audio id. */
export const EXAMPLE_IDS = { musicTaskId: "73d6128b3523a0079df10da9471017c8", audioId: "8551a2b3c4d5662c" } as const;

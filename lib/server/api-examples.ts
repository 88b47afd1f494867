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
  musicComplete: {
    code: 200,
    msg: "All generated successfully.",
    data: {
      callbackType: "complete",
      task_id: "2fac6a31c4b8e0d57a9f12e3b4c59f72",
      data: [
        {
          id: "8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c",
          audio_url: "https://file.aiquickdraw.com/s/8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c.mp3",
          source_audio_url: "https://cdn1.suno.ai/8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c.mp3",
          stream_audio_url: "https://audiopipe.suno.ai/?item_id=8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c",
          source_stream_audio_url: "https://cdn1.suno.ai/stream/8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c",
          image_url: "https://file.aiquickdraw.com/s/8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c.jpeg",
          source_image_url: "https://cdn1.suno.ai/image_8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c.jpeg",
          prompt: "[Verse] Steel and fire in my veins\n[Chorus] I am Iron Man",
          model_name: "chirp-v3-5",
          title: "Iron Man",
          tags: "electrifying, rock",
          createTime: "2025-01-01 00:00:00",
          duration: 198.44,
        },
        {
          id: "c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c",
          audio_url: "https://file.aiquickdraw.com/s/c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c.mp3",
          source_audio_url: "https://cdn1.suno.ai/c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c.mp3",
          stream_audio_url: "https://audiopipe.suno.ai/?item_id=c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c",
          source_stream_audio_url: "https://cdn1.suno.ai/stream/c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c",
          image_url: "https://file.aiquickdraw.com/s/c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c.jpeg",
          source_image_url: "https://cdn1.suno.ai/image_c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c.jpeg",
          prompt: "[Verse] Steel and fire in my veins\n[Chorus] I am Iron Man",
          model_name: "chirp-v3-5",
          title: "Iron Man (take 2)",
          tags: "electrifying, rock",
          createTime: "2025-01-01 00:00:00",
          duration: 201.2,
        },
      ],
    },
  },
  lyricsComplete: {
    code: 200,
    msg: "All generated successfully.",
    data: {
      callbackType: "complete",
      taskId: "11dc4e5f6a7b8c9d0e1f2a3b4c5d8b0f",
      data: [
        { text: "[Verse]\nSteel and fire in my veins\n[Chorus]\nI am Iron Man", title: "Iron Man", status: "complete", errorMessage: "" },
        {
          text: "[Verse]\nMetal heart, a steady beat\n[Chorus]\nIron, iron, never sleep",
          title: "Iron Heart",
          status: "complete",
          errorMessage: "",
        },
      ],
    },
  },
  separationVocal: {
    code: 200,
    msg: "vocal Removal generated successfully.",
    data: {
      task_id: "3e63b4c5d6e7f8091a2b3c4d5e6f71e7",
      vocal_removal_info: {
        instrumental_url: "https://file.aiquickdraw.com/s/3e63b4c5_Instrumental.mp3",
        origin_url: "",
        vocal_url: "https://file.aiquickdraw.com/s/3e63b4c5_Vocals.mp3",
      },
    },
  },
  midiComplete: {
    task_id: "5c79d1e2f3a4b5c6d7e8f9a0b1c2be8e",
    code: 200,
    msg: "success",
    data: {
      state: "complete",
      instruments: [
        {
          name: "Drums",
          notes: [
            { pitch: 73, start: "0.036458333333333336", end: "0.18229166666666666", velocity: 1 },
            { pitch: 61, start: 0.046875, end: "0.19270833333333334", velocity: 1 },
            { pitch: 73, start: 0.1875, end: "0.4895833333333333", velocity: 1 },
          ],
        },
        {
          name: "Electric Bass (finger)",
          notes: [
            { pitch: 44, start: 7.6875, end: 7.911458333333333, velocity: 1 },
            { pitch: 44, start: "8.0", end: "8.25", velocity: 0.5 },
          ],
        },
      ],
    },
  },
  videoSuccess: {
    code: 200,
    msg: "MP4 generated successfully.",
    data: { task_id: "taskId_774b9c0d1e2f3a4b5c6d7e8f", video_url: "https://file.aiquickdraw.com/s/video_8477a1b2c3d4.mp4" },
  },
  voicePhraseReady: {
    code: 200,
    msg: "success",
    data: {
      taskId: "voice7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
      validateInfo: "Please record this phrase: the quick brown fox",
      status: "wait_validating",
      errorCode: 0,
      errorMessage: "",
    },
  },
} as const;

/** Which fixture file each example is (tests/fixtures/callbacks/<name>.json). */
export const EXAMPLE_FILES: Record<keyof typeof EXAMPLES, string> = {
  coverSuccess: "cover-success",
  coverFailed501: "cover-failed-501",
  wavSuccess: "wav-success",
  wavFailed451: "wav-failed-451",
  musicComplete: "music-complete",
  lyricsComplete: "lyrics-complete",
  separationVocal: "separation-vocal",
  midiComplete: "midi-complete",
  videoSuccess: "video-success",
  voicePhraseReady: "voice-phrase-ready",
};

/** Ids from the provider's record-info fixtures (tests/fixtures/provider): a cover's music task, a WAV's audio id. */
export const EXAMPLE_IDS = { musicTaskId: "73d6128b3523a0079df10da9471017c8", audioId: "8551a2b3c4d5662c" } as const;

"""Expert video programmes: series, episodes, live broadcasts with Q&A, replays and transcripts."""

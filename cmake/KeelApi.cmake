# keel_add_api(): filled in with the emitter

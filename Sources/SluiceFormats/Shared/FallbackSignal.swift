/// Thrown by the fast coders when a value needs what they do not support (a nested container, a
/// type Foundation treats specially, a number form they leave to Foundation). The coder also sets
/// a flag, so that the record is redone with Foundation even if user code catches this error.
struct FallbackSignal: Error {}

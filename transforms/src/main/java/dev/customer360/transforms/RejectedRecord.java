package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;

/** Why a raw record is rejected; becomes the dead letter's {@code error}. */
final class RejectedRecord extends Exception {
  private static final long serialVersionUID = 2L;

  final DeadLetter.Stage stage;

  RejectedRecord(DeadLetter.Stage stage, String reason) {
    super(reason, null, false, false);
    this.stage = stage;
  }
}

package dev.customer360.io.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class CommittedSequencesTest {

  @Test
  public void holdsExactlyTheRecordsWrittenEvenOutOfOrder() {
    CommittedSequences committed = CommittedSequences.none();
    for (long seq : new long[] {5, 6, 7, 0, 1, 9}) {
      committed.add(42L, seq);
    }
    CommittedSequences read = CommittedSequences.parse(committed.encode());
    for (long seq : new long[] {0, 1, 5, 6, 7, 9}) {
      assertTrue("seq " + seq, read.holds(42L, seq));
    }
    for (long seq : new long[] {2, 3, 4, 8, 10}) {
      assertFalse("seq " + seq, read.holds(42L, seq));
    }
    assertFalse(read.holds(43L, 0));
    assertEquals("c360-eos-2;2a=0-2|5-8|9-10", committed.encode());
  }

  @Test
  public void rangesThatMeetBecomeOne() {
    CommittedSequences committed = CommittedSequences.none();
    committed.add(-1L, 2);
    committed.add(-1L, 0);
    committed.add(-1L, 1);
    assertEquals("c360-eos-2;ffffffffffffffff=0-3", committed.encode());
    assertEquals(3, committed.offset());
  }

  @Test
  public void epochsAreKeptApartAndTheLeastRecentlyWrittenIsForgottenFirst() {
    CommittedSequences committed = CommittedSequences.none();
    committed.add(1L, 0);
    committed.add(2L, 0);
    committed.add(1L, 1); // epoch 1 is now the most recent
    for (long epoch = 100; epoch < 600; epoch++) {
      committed.add(epoch, 0);
    }
    committed.add(1L, 2);
    String metadata = committed.encode();
    assertTrue(metadata.length() <= CommittedSequences.MAX_METADATA_CHARS);
    CommittedSequences read = CommittedSequences.parse(metadata);
    assertTrue(read.holds(1L, 2));
    assertTrue(read.holds(599L, 0));
    assertFalse("forgotten: a replay may write it twice, never skip it", read.holds(2L, 0));
  }

  @Test
  public void metadataOfAnotherFormatHoldsNothing() {
    assertFalse(CommittedSequences.parse(null).holds(0, 0));
    assertFalse(CommittedSequences.parse("{\"seq\":12,\"id\":\"kafkaio\"}").holds(0, 0));
  }

  @Test(expected = IllegalStateException.class)
  public void damagedMetadataIsRefused() {
    CommittedSequences.parse("c360-eos-2;zz=1-x");
  }
}

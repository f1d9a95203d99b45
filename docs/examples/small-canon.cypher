// small-canon: a tiny alignment graph in segrel's graph model (docs/architecture.md#graph-model),
// for trying segrel by hand.
//
//   root-bo   a root text (Tibetan)                100 characters, 10 segments of 10
//   root-en   its English translation              150 characters, 10 segments of 15
//   comm-bo   a commentary on the root text        200 characters, 10 segments of 20
//   comm-en   the commentary's English translation 250 characters, 10 segments of 25
//
// Three alignments, each a pair of alignment annotations linked by ALIGNED_TO, with their
// segments linked one-to-one or one-to-many (marked 1:n). Each ALIGNED_TO is written once, some
// from one side and some from the other, on purpose: segrel matches it undirected.
//
//   root-bo <-> root-en   root-bo-align-en   <-> root-en-align-bo
//   root-bo <-> comm-bo   root-bo-align-comm <-> comm-bo-align-root
//   comm-bo <-> comm-en   comm-bo-align-en   <-> comm-en-align-bo
//
// Load it with:  ./segrel dev up --load-graph docs/examples/small-canon.cypher

CREATE (:AnnotationType {name: 'segmentation'}),
       (:AnnotationType {name: 'alignment'}),
       (:AnnotationType {name: 'pagination'});

// Texts: one expression and one manifestation each.
UNWIND [['root-bo', 'expr-root-bo'],
        ['root-en', 'expr-root-en'],
        ['comm-bo', 'expr-comm-bo'],
        ['comm-en', 'expr-comm-en']] AS row
CREATE (:Manifestation {id: row[0]})-[:MANIFESTATION_OF]->(:Expression {id: row[1]});

// Annotations: [id, manifestation, type].
UNWIND [['root-bo-seg',        'root-bo', 'segmentation'],
        ['root-en-seg',        'root-en', 'segmentation'],
        ['comm-bo-seg',        'comm-bo', 'segmentation'],
        ['comm-en-seg',        'comm-en', 'segmentation'],
        ['root-bo-align-en',   'root-bo', 'alignment'],
        ['root-en-align-bo',   'root-en', 'alignment'],
        ['root-bo-align-comm', 'root-bo', 'alignment'],
        ['comm-bo-align-root', 'comm-bo', 'alignment'],
        ['comm-bo-align-en',   'comm-bo', 'alignment'],
        ['comm-en-align-bo',   'comm-en', 'alignment']] AS row
MATCH (m:Manifestation {id: row[1]}), (t:AnnotationType {name: row[2]})
CREATE (a:Annotation {id: row[0]})-[:ANNOTATION_OF]->(m), (a)-[:HAS_TYPE]->(t);

// Segments: [annotation, segment id, start, end]. Segmentation first: the canonical segments
// that related-segments answers are expressed in.
UNWIND [['root-bo-seg', 'root-bo-s01',  0,  10], ['root-bo-seg', 'root-bo-s02', 10,  20],
        ['root-bo-seg', 'root-bo-s03', 20,  30], ['root-bo-seg', 'root-bo-s04', 30,  40],
        ['root-bo-seg', 'root-bo-s05', 40,  50], ['root-bo-seg', 'root-bo-s06', 50,  60],
        ['root-bo-seg', 'root-bo-s07', 60,  70], ['root-bo-seg', 'root-bo-s08', 70,  80],
        ['root-bo-seg', 'root-bo-s09', 80,  90], ['root-bo-seg', 'root-bo-s10', 90, 100],

        ['root-en-seg', 'root-en-s01',   0,  15], ['root-en-seg', 'root-en-s02',  15,  30],
        ['root-en-seg', 'root-en-s03',  30,  45], ['root-en-seg', 'root-en-s04',  45,  60],
        ['root-en-seg', 'root-en-s05',  60,  75], ['root-en-seg', 'root-en-s06',  75,  90],
        ['root-en-seg', 'root-en-s07',  90, 105], ['root-en-seg', 'root-en-s08', 105, 120],
        ['root-en-seg', 'root-en-s09', 120, 135], ['root-en-seg', 'root-en-s10', 135, 150],

        ['comm-bo-seg', 'comm-bo-s01',   0,  20], ['comm-bo-seg', 'comm-bo-s02',  20,  40],
        ['comm-bo-seg', 'comm-bo-s03',  40,  60], ['comm-bo-seg', 'comm-bo-s04',  60,  80],
        ['comm-bo-seg', 'comm-bo-s05',  80, 100], ['comm-bo-seg', 'comm-bo-s06', 100, 120],
        ['comm-bo-seg', 'comm-bo-s07', 120, 140], ['comm-bo-seg', 'comm-bo-s08', 140, 160],
        ['comm-bo-seg', 'comm-bo-s09', 160, 180], ['comm-bo-seg', 'comm-bo-s10', 180, 200],

        ['comm-en-seg', 'comm-en-s01',   0,  25], ['comm-en-seg', 'comm-en-s02',  25,  50],
        ['comm-en-seg', 'comm-en-s03',  50,  75], ['comm-en-seg', 'comm-en-s04',  75, 100],
        ['comm-en-seg', 'comm-en-s05', 100, 125], ['comm-en-seg', 'comm-en-s06', 125, 150],
        ['comm-en-seg', 'comm-en-s07', 150, 175], ['comm-en-seg', 'comm-en-s08', 175, 200],
        ['comm-en-seg', 'comm-en-s09', 200, 225], ['comm-en-seg', 'comm-en-s10', 225, 250]] AS row
MATCH (a:Annotation {id: row[0]})
CREATE (:Segment {id: row[1], span_start: row[2], span_end: row[3]})-[:SEGMENTATION_OF]->(a);

// Alignment segments.
UNWIND [['root-bo-align-en',   'root-bo-ae1',   0,  20], ['root-bo-align-en',   'root-bo-ae2',  20,  40],
        ['root-bo-align-en',   'root-bo-ae3',  40,  60], ['root-bo-align-en',   'root-bo-ae4',  60,  80],
        ['root-bo-align-en',   'root-bo-ae5',  80, 100],

        ['root-en-align-bo',   'root-en-ab1',   0,  30], ['root-en-align-bo',   'root-en-ab2',  30,  60],
        ['root-en-align-bo',   'root-en-ab3',  60,  75], ['root-en-align-bo',   'root-en-ab4',  75,  90],
        ['root-en-align-bo',   'root-en-ab5',  90, 120], ['root-en-align-bo',   'root-en-ab6', 120, 150],

        ['root-bo-align-comm', 'root-bo-ac1',   0,  30], ['root-bo-align-comm', 'root-bo-ac2',  30,  70],
        ['root-bo-align-comm', 'root-bo-ac3',  70, 100],

        ['comm-bo-align-root', 'comm-bo-ar1',   0,  60], ['comm-bo-align-root', 'comm-bo-ar2',  60, 120],
        ['comm-bo-align-root', 'comm-bo-ar3', 120, 160], ['comm-bo-align-root', 'comm-bo-ar4', 160, 200],

        ['comm-bo-align-en',   'comm-bo-ae1',   0,  40], ['comm-bo-align-en',   'comm-bo-ae2',  40,  80],
        ['comm-bo-align-en',   'comm-bo-ae3',  80, 120], ['comm-bo-align-en',   'comm-bo-ae4', 120, 160],
        ['comm-bo-align-en',   'comm-bo-ae5', 160, 200],

        ['comm-en-align-bo',   'comm-en-ab1',   0,  50], ['comm-en-align-bo',   'comm-en-ab2',  50, 100],
        ['comm-en-align-bo',   'comm-en-ab3', 100, 150], ['comm-en-align-bo',   'comm-en-ab4', 150, 200],
        ['comm-en-align-bo',   'comm-en-ab5', 200, 225], ['comm-en-align-bo',   'comm-en-ab6', 225, 250]] AS row
MATCH (a:Annotation {id: row[0]})
CREATE (:Segment {id: row[1], span_start: row[2], span_end: row[3]})-[:SEGMENTATION_OF]->(a);

// The alignment pairs.
UNWIND [['root-bo-align-en',   'root-en-align-bo'],
        ['comm-bo-align-root', 'root-bo-align-comm'],
        ['comm-bo-align-en',   'comm-en-align-bo']] AS row
MATCH (a:Annotation {id: row[0]}), (b:Annotation {id: row[1]})
CREATE (a)-[:ALIGNED_TO]->(b);

// Segment links, [from, to]; the 1:n ones are marked.
UNWIND [['root-bo-ae1', 'root-en-ab1'],
        ['root-bo-ae2', 'root-en-ab2'],
        ['root-bo-ae3', 'root-en-ab3'], ['root-bo-ae3', 'root-en-ab4'],   // 1:n
        ['root-en-ab5', 'root-bo-ae4'],
        ['root-en-ab6', 'root-bo-ae5'],

        ['root-bo-ac1', 'comm-bo-ar1'],
        ['root-bo-ac2', 'comm-bo-ar2'], ['root-bo-ac2', 'comm-bo-ar3'],   // 1:n
        ['comm-bo-ar4', 'root-bo-ac3'],

        ['comm-bo-ae1', 'comm-en-ab1'],
        ['comm-bo-ae2', 'comm-en-ab2'],
        ['comm-bo-ae3', 'comm-en-ab3'],
        ['comm-en-ab4', 'comm-bo-ae4'],
        ['comm-bo-ae5', 'comm-en-ab5'], ['comm-bo-ae5', 'comm-en-ab6']]   // 1:n
      AS row
MATCH (a:Segment {id: row[0]}), (b:Segment {id: row[1]})
CREATE (a)-[:ALIGNED_TO]->(b);

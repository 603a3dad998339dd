// bench/proto_kblock.c: prototype batch-64 sparse kernel on fc8 (1000x4096,
// 25% kept), whole-K rows vs K-blocked segments (X block in L1).
// clang-22 -O3 -march=native bench/proto_kblock.c -o /tmp/kb && /tmp/kb 128
// Prototype: batch-64 sparse kernel, whole-K rows vs K-blocked segments
// (X block of KB rows kept in L1, Y accumulators reloaded per block).
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e9+t.tv_nsec;}
enum{M=1000,K=4096,N=64};
static int cmpi(const void*a,const void*b){return *(int*)a-*(int*)b;}
int main(int argc,char**argv){
  int KB=argc>1?atoi(argv[1]):128; double dens=argc>2?atof(argv[2]):0.25;
  float *X=aligned_alloc(64,4L*K*N), *Y=aligned_alloc(64,4L*M*N), *Y2=aligned_alloc(64,4L*M*N);
  for(long i=0;i<(long)K*N;i++) X[i]=(rand()%1000)*0.001f;
  int *start=malloc(4*(M+1)); int *col=malloc(4L*M*K); float *val=malloc(4L*M*K); int n=0;
  for(int r=0;r<M;r++){start[r]=n; for(int c=0;c<K;c++) if(rand()<dens*RAND_MAX){col[n]=c; val[n]=(rand()%31-15)*0.01f; n++;}} start[M]=n;
  int NB=(K+KB-1)/KB;
  // segment starts per (row, block)
  int *seg=malloc(4L*(M*NB+1)); {int e=0; for(int r=0;r<M;r++) for(int b=0;b<NB;b++){ seg[r*NB+b]=e; while(e<start[r+1] && col[e]<(b+1)*KB) e++; } seg[M*NB]=n;}
  for(int rep=0;rep<5;rep++){
    double t0=now();
    for(int r=0;r<M;r++){ __m512 a0=_mm512_setzero_ps(),a1=a0,a2=a0,a3=a0;
      for(int e=start[r];e<start[r+1];e++){ __m512 w=_mm512_set1_ps(val[e]); const float*x=X+(long)col[e]*N;
        a0=_mm512_fmadd_ps(w,_mm512_load_ps(x),a0); a1=_mm512_fmadd_ps(w,_mm512_load_ps(x+16),a1);
        a2=_mm512_fmadd_ps(w,_mm512_load_ps(x+32),a2); a3=_mm512_fmadd_ps(w,_mm512_load_ps(x+48),a3);}
      float*y=Y+(long)r*N; _mm512_store_ps(y,a0);_mm512_store_ps(y+16,a1);_mm512_store_ps(y+32,a2);_mm512_store_ps(y+48,a3);}
    double t1=now();
    memset(Y2,0,4L*M*N);
    for(int b=0;b<NB;b++) for(int r=0;r<M;r++){ float*y=Y2+(long)r*N;
      int e0=seg[r*NB+b], e1=(r*NB+b+1<=M*NB)?seg[r*NB+b+1]:n; if(b==NB-1) e1=start[r+1]; if(e0==e1) continue;
      __m512 a0=_mm512_load_ps(y),a1=_mm512_load_ps(y+16),a2=_mm512_load_ps(y+32),a3=_mm512_load_ps(y+48);
      for(int e=e0;e<e1;e++){ __m512 w=_mm512_set1_ps(val[e]); const float*x=X+(long)col[e]*N;
        a0=_mm512_fmadd_ps(w,_mm512_load_ps(x),a0); a1=_mm512_fmadd_ps(w,_mm512_load_ps(x+16),a1);
        a2=_mm512_fmadd_ps(w,_mm512_load_ps(x+32),a2); a3=_mm512_fmadd_ps(w,_mm512_load_ps(x+48),a3);}
      _mm512_store_ps(y,a0);_mm512_store_ps(y+16,a1);_mm512_store_ps(y+32,a2);_mm512_store_ps(y+48,a3);}
    double t2=now();
    double err=0; for(long i=0;i<(long)M*N;i++){double d=Y[i]-Y2[i]; if(d<0)d=-d; if(d>err)err=d;}
    printf("nnz %d KB %d: whole-K %.0f us, K-blocked %.0f us, maxdiff %g\n",n,KB,(t1-t0)/1e3,(t2-t1)/1e3,err);
  }
}
